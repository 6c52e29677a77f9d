using Cascade.Contracts;
using Cascade.Inference.Pipeline;
using Cascade.StageHosting;
using MassTransit;

namespace Cascade.Gate.Consumers;

/// <summary>
/// Stage 1. Publishes the gate's verdict for the orchestrator and, when accepted, forwards the same claim check
/// to the classifier with the gate's result (so the classifier's answer is complete on its own) and, unless turned off
/// (<see cref="GateOptions.ForwardBackbone"/>, <see cref="GateOptions.ForwardPixels"/>), the gate's backbone outputs and decode.
/// </summary>
public sealed class GateImageConsumer(LoadedModel<GateStage> model, StageForwarding forwarding, GateOptions options) : IConsumer<GateImage>
{
    public const string StageName = "gate";

    public async Task Consume(ConsumeContext<GateImage> context)
    {
        var message = context.Message;
        using var run = await model.RunAsync<GateStage, GateOutcome>(context, message.SubmissionId, message.Image, StageName, forwarding, message.AnswerBy);
        if (run is null) return;
        var outcome = run.Outcome;
        var result = new GateResult(outcome.Decision.Score, outcome.Decision.Threshold, new ModelInfo(outcome.Model, outcome.ModelVersion), outcome.Timing.ToContract(run.StageMs));
        await context.Publish(new ImageGated { SubmissionId = message.SubmissionId, Accepted = outcome.Decision.Accepted, Gate = result });
        if (!outcome.Decision.Accepted) return;
        var backbone = options.ForwardBackbone ? StageForwarding.ToRow(run.Outputs) : null;
        var pixels = options.ForwardPixels && run.Decoded is not null ? await forwarding.PutPixelsAsync(run.Decoded, run.Resize, context.CancellationToken) : null;
        var classifier = await context.GetSendEndpoint(CommandQueues.ClassifierAddress);
        await classifier.Send(new ClassifyImage { SubmissionId = message.SubmissionId, Image = message.Image, Gate = result, Pixels = pixels, Backbone = backbone, AnswerBy = message.AnswerBy });
    }
}
