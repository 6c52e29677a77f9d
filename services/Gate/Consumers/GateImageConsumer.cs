using Cascade.Contracts;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Models;
using MassTransit;

namespace Cascade.Gate.Consumers;

/// <summary>
/// Stage 1. Publishes the gate's verdict for the orchestrator and, when accepted, forwards the same claim check
/// to the classifier with the gate's result, so the classifier's answer is complete on its own.
/// </summary>
public sealed class GateImageConsumer(LoadedModel<GateStage> model) : IConsumer<GateImage>
{
    public const string StageName = "gate";

    public async Task Consume(ConsumeContext<GateImage> context)
    {
        var message = context.Message;
        if (await model.RunAsync<GateStage, GateOutcome>(context, message.SubmissionId, message.Image, StageName) is not var (outcome, stageMs))
            return;
        var result = new GateResult(outcome.Decision.Score, outcome.Decision.Threshold, new ModelInfo(outcome.Model, outcome.ModelVersion), outcome.Timing.ToContract(stageMs));
        await context.Publish(new ImageGated { SubmissionId = message.SubmissionId, Accepted = outcome.Decision.Accepted, Gate = result });
        if (outcome.Decision.Accepted)
            await context.Publish(new ClassifyImage { SubmissionId = message.SubmissionId, Image = message.Image, Gate = result });
    }
}
