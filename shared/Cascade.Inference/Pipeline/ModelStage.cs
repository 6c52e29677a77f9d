using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

/// <summary>One stage of the cascade: a model's probabilities turned into that stage's decision.</summary>
public abstract class ModelStage<TOutcome>(ModelScorer scorer) : IAsyncDisposable
{
    public ModelScorer Scorer { get; } = scorer;
    /// <summary>The stage's decisions: the whole pack's manifest, or the head pack's.</summary>
    public ModelManifest Manifest => Scorer.Head.Manifest;

    public async Task<TOutcome> RunAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default) =>
        (await RunKeepingOutputsAsync(image, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <summary>Runs on the image and hands back the backbone's outputs, for a next stage that reads the same backbone (<see cref="Reads"/>).</summary>
    public async Task<(TOutcome Outcome, BackboneOutputs Outputs)> RunKeepingOutputsAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var scored = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return (Decide(scored.Probabilities, scored.Timing), scored.Outputs);
    }

    /// <summary>
    /// Decodes the image, runs on it, and hands the decoded image back (the caller disposes it) so that a next
    /// stage that resizes the same way need not decode again, with the backbone's outputs for a next stage that reads them.
    /// Preprocessing time includes the decode.
    /// </summary>
    public async Task<(TOutcome Outcome, DecodedImage Decoded, BackboneOutputs Outputs)> RunKeepingDecodeAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var decoded = Scorer.Decode(image.Span);
        try
        {
            var scored = await Scorer.ScoreAsync(decoded, started, cancellationToken).ConfigureAwait(false);
            return (Decide(scored.Probabilities, scored.Timing), decoded, scored.Outputs);
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    /// <summary>Runs on an image decoded already with the pack's resize (shared from the stage before).</summary>
    public async Task<TOutcome> RunAsync(DecodedImage image, CancellationToken cancellationToken = default) =>
        (await RunKeepingOutputsAsync(image, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <inheritdoc cref="RunAsync(DecodedImage, CancellationToken)"/>
    public async Task<(TOutcome Outcome, BackboneOutputs Outputs)> RunKeepingOutputsAsync(DecodedImage image, CancellationToken cancellationToken = default)
    {
        var scored = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return (Decide(scored.Probabilities, scored.Timing), scored.Outputs);
    }

    /// <summary>Whether this stage's head can run on <paramref name="outputs"/> alone (they come from its backbone).</summary>
    public bool Reads(BackboneOutputs outputs) => Scorer.Reads(outputs);

    /// <summary>Only the head, on the backbone outputs of a stage before (<see cref="Reads"/> must hold).</summary>
    public TOutcome Run(BackboneOutputs outputs)
    {
        var scored = Scorer.Score(outputs);
        return Decide(scored.Probabilities, scored.Timing);
    }

    protected abstract TOutcome Decide(float[] probabilities, StageTiming timing);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Scorer.DisposeAsync();
    }
}
