using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using MassTransit;

namespace Cascade.StageHosting;

/// <summary>
/// One stage's work on one message: its outcome, the image it decoded (null when it ran only its head on forwarded backbone
/// outputs; dispose the run), the backbone's outputs and the whole stage time.
/// </summary>
public sealed record StageRun<TOutcome>(TOutcome Outcome, DecodedImage? Decoded, BackboneOutputs Outputs, ResizeSpec Resize, double StageMs) : IDisposable
{
    public void Dispose() => Decoded?.Dispose();
}

/// <summary>
/// What the gate and classifier consumers share: run only the head on forwarded backbone outputs when they are this stage's
/// backbone's, else fetch the image (or take the forwarded decode) and run the stage; turn image errors and a passed
/// caller's deadline into <see cref="StageFailed"/>.
/// </summary>
public static class StageConsumption
{
    /// <summary>The stage's run, or null when the image was refused or nobody waits any more (StageFailed is published, no retry).</summary>
    /// <param name="answerBy">The caller's deadline: past it the model does not run, and a run still queued at the model leaves the queue.</param>
    /// <param name="backbone">The previous stage's backbone outputs: when they are of this stage's backbone, only the head runs.</param>
    /// <param name="pixels">The previous stage's decode, used instead of decoding <paramref name="image"/> when it fits.</param>
    public static async Task<StageRun<TOutcome>?> RunAsync<TStage, TOutcome>(this LoadedModel<TStage> model, ConsumeContext context,
        Guid submissionId, MessageData<byte[]> image, string stageName, StageForwarding forwarding, DateTimeOffset? answerBy, DecodedPixels? pixels = null, BackboneRow? backbone = null)
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
            forwarding.DiscardPixels(pixels);
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
                forwarding.DiscardPixels(pixels);
                await PublishDeadlineExceededAsync(context, submissionId, stageName).ConfigureAwait(false);
                return null;
            }
            deadline.CancelAfter(left);
        }
        var cancellationToken = deadline.Token;
        try
        {
            if (forwarding.ReadBackbone(backbone, stage.Scorer.Pack) is { } outputs)
            {
                forwarding.DiscardPixels(pixels);
                return new StageRun<TOutcome>(stage.Run(outputs), null, outputs, resize, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var decoded = await forwarding.TakePixelsAsync(pixels, resize, cancellationToken).ConfigureAwait(false);
            TOutcome outcome;
            BackboneOutputs scored;
            if (decoded is null)
            {
                var bytes = await image.Value.ConfigureAwait(false);
                (outcome, decoded, scored) = await stage.RunKeepingDecodeAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    (outcome, scored) = await stage.RunKeepingOutputsAsync(decoded, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    decoded.Dispose();
                    throw;
                }
            }
            return new StageRun<TOutcome>(outcome, decoded, scored, resize, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
