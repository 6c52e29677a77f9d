using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using MassTransit;

namespace Cascade.StageHosting;

/// <summary>One stage's work on one message: its outcome, the image it decoded (dispose it) and the whole stage time.</summary>
public sealed record StageRun<TOutcome>(TOutcome Outcome, DecodedImage Decoded, ResizeSpec Resize, double StageMs) : IDisposable
{
    public void Dispose() => Decoded.Dispose();
}

/// <summary>
/// What the gate and classifier consumers share: fetch the image (or take the forwarded decode), run the stage, turn
/// image errors and a passed caller's deadline into <see cref="StageFailed"/>.
/// </summary>
public static class StageConsumption
{
    /// <summary>The stage's run, or null when the image was refused or nobody waits any more (StageFailed is published, no retry).</summary>
    /// <param name="answerBy">The caller's deadline: past it the model does not run, and a run still queued at the model leaves the queue.</param>
    /// <param name="forwarded">The previous stage's decode, used instead of decoding <paramref name="image"/> when it fits.</param>
    public static async Task<StageRun<TOutcome>?> RunAsync<TStage, TOutcome>(this LoadedModel<TStage> model, ConsumeContext context,
        Guid submissionId, MessageData<byte[]> image, string stageName, PixelForwarding forwarding, DateTimeOffset? answerBy, DecodedPixels? forwarded = null)
        where TStage : ModelStage<TOutcome>
    {
        var started = Stopwatch.GetTimestamp();
        TStage stage;
        try
        {
            stage = await model.Stage.ConfigureAwait(false);
        }
        catch when (model.LoadError is { } loadError)
        {
            // Final for this submission and retryable for the caller (503 / UNAVAILABLE), as a direct gRPC call says;
            // a consumer fault would instead end it as STAGE_FAULT after the retries, with the exception's type in the text.
            forwarding.Discard(forwarded);
            await context.Publish(new StageFailed
            {
                SubmissionId = submissionId,
                Stage = stageName,
                ErrorCode = ErrorCodes.ModelNotLoaded,
                ErrorMessage = $"The {model.Name} model is not loaded: {loadError.Message}",
            }).ConfigureAwait(false);
            return null;
        }
        var resize = stage.Scorer.Pack.Resize;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        if (answerBy is { } by)
        {
            var left = by - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                forwarding.Discard(forwarded);
                await PublishDeadlineExceededAsync(context, submissionId, stageName).ConfigureAwait(false);
                return null;
            }
            deadline.CancelAfter(left);
        }
        var cancellationToken = deadline.Token;
        try
        {
            var decoded = await forwarding.TakeAsync(forwarded, resize, cancellationToken).ConfigureAwait(false);
            TOutcome outcome;
            if (decoded is null)
            {
                var bytes = await image.Value.ConfigureAwait(false);
                (outcome, decoded) = await stage.RunKeepingDecodeAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    outcome = await stage.RunAsync(decoded, cancellationToken).ConfigureAwait(false);
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
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            await PublishDeadlineExceededAsync(context, submissionId, stageName).ConfigureAwait(false);
            return null;
        }
    }

    private static Task PublishDeadlineExceededAsync(ConsumeContext context, Guid submissionId, string stageName) =>
        context.Publish(new StageFailed
        {
            SubmissionId = submissionId,
            Stage = stageName,
            ErrorCode = ErrorCodes.DeadlineExceeded,
            ErrorMessage = $"The caller's deadline passed before the {stageName} ran; its work was dropped.",
        });

    public static StageTimings ToContract(this StageTiming timing, double stageMs) =>
        new(timing.PreprocessMs, timing.QueueMs, timing.InferenceMs, timing.BatchSize, stageMs);
}
