using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Imaging;
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
        var started = Stopwatch.GetTimestamp();
        var message = context.Message;
        var gate = await model.Stage;
        var image = await message.Image.Value;
        GateOutcome outcome;
        try
        {
            outcome = await gate.RunAsync(image, context.CancellationToken);
        }
        catch (ImageException e)
        {
            await context.Publish(new StageFailed { SubmissionId = message.SubmissionId, Stage = StageName, ErrorCode = e.ErrorCode, ErrorMessage = e.Message });
            return;
        }

        var timing = outcome.Timing;
        var result = new GateResult(outcome.Decision.Score, outcome.Decision.Threshold, new ModelInfo(outcome.Model, outcome.ModelVersion),
            new StageTimings(timing.PreprocessMs, timing.QueueMs, timing.InferenceMs, timing.BatchSize, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        await context.Publish(new ImageGated { SubmissionId = message.SubmissionId, Accepted = outcome.Decision.Accepted, Gate = result });
        if (outcome.Decision.Accepted)
            await context.Publish(new ClassifyImage { SubmissionId = message.SubmissionId, Image = message.Image, Gate = result });
    }
}
