using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using MassTransit;

namespace Cascade.ServiceDefaults.Models;

/// <summary>What the gate and classifier consumers share: fetch the claim-checked image, run the stage, turn image errors into <see cref="StageFailed"/>.</summary>
public static class StageConsumption
{
    /// <summary>The stage's outcome and the whole stage time, or null when the image was refused (StageFailed is published, no retry).</summary>
    public static async Task<(TOutcome Outcome, double StageMs)?> RunAsync<TStage, TOutcome>(this LoadedModel<TStage> model, ConsumeContext context,
        Guid submissionId, MessageData<byte[]> image, string stageName)
        where TStage : ModelStage<TOutcome>
    {
        var started = Stopwatch.GetTimestamp();
        var stage = await model.Stage.ConfigureAwait(false);
        var bytes = await image.Value.ConfigureAwait(false);
        try
        {
            var outcome = await stage.RunAsync(bytes, context.CancellationToken).ConfigureAwait(false);
            return (outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (ImageException e)
        {
            await context.Publish(new StageFailed { SubmissionId = submissionId, Stage = stageName, ErrorCode = e.ErrorCode, ErrorMessage = e.Message }).ConfigureAwait(false);
            return null;
        }
    }

    public static StageTimings ToContract(this StageTiming timing, double stageMs) =>
        new(timing.PreprocessMs, timing.QueueMs, timing.InferenceMs, timing.BatchSize, stageMs);
}
