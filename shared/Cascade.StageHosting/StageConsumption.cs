using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using MassTransit;

namespace Cascade.StageHosting;

/// <summary>One stage's work on one message: its outcome, the image it decoded (dispose it) and the whole stage time.</summary>
public sealed record StageRun<TOutcome>(TOutcome Outcome, DecodedImage Decoded, ResizeSpec Resize, double StageMs) : IDisposable
{
    public void Dispose() => Decoded.Dispose();
}

/// <summary>What the gate and classifier consumers share: fetch the image (or take the forwarded decode), run the stage, turn image errors into <see cref="StageFailed"/>.</summary>
public static class StageConsumption
{
    /// <summary>The stage's run, or null when the image was refused (StageFailed is published, no retry).</summary>
    /// <param name="forwarded">The previous stage's decode, used instead of decoding <paramref name="image"/> when it fits.</param>
    public static async Task<StageRun<TOutcome>?> RunAsync<TStage, TOutcome>(this LoadedModel<TStage> model, ConsumeContext context,
        Guid submissionId, MessageData<byte[]> image, string stageName, PixelForwarding forwarding, DecodedPixels? forwarded = null)
        where TStage : ModelStage<TOutcome>
    {
        var started = Stopwatch.GetTimestamp();
        var stage = await model.Stage.ConfigureAwait(false);
        var resize = stage.Scorer.Pack.Resize;
        try
        {
            var decoded = await forwarding.TakeAsync(forwarded, resize, context.CancellationToken).ConfigureAwait(false);
            TOutcome outcome;
            if (decoded is null)
            {
                var bytes = await image.Value.ConfigureAwait(false);
                (outcome, decoded) = await stage.RunKeepingDecodeAsync(bytes, context.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    outcome = await stage.RunAsync(decoded, context.CancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    decoded.Dispose();
                    throw;
                }
            }
            return new StageRun<TOutcome>(outcome, decoded, resize, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
