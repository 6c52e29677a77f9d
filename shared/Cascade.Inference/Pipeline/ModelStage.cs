using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

/// <summary>One stage of the cascade: a model's probabilities turned into that stage's decision.</summary>
public abstract class ModelStage<TOutcome>(ModelScorer scorer) : IAsyncDisposable
{
    public ModelScorer Scorer { get; } = scorer;
    public ModelManifest Manifest => Scorer.Pack.Manifest;

    public async Task<TOutcome> RunAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var (probabilities, timing) = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return Decide(probabilities, timing);
    }

    /// <summary>
    /// Decodes the image, runs on it, and hands the decoded image back (the caller disposes it) so that a next
    /// stage that resizes the same way need not decode again. Preprocessing time includes the decode.
    /// </summary>
    public async Task<(TOutcome Outcome, DecodedImage Decoded)> RunKeepingDecodeAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var decoded = Scorer.Decode(image.Span);
        try
        {
            var (probabilities, timing) = await Scorer.ScoreAsync(decoded, started, cancellationToken).ConfigureAwait(false);
            return (Decide(probabilities, timing), decoded);
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    /// <summary>Runs on an image decoded already with the pack's resize (shared from the stage before).</summary>
    public async Task<TOutcome> RunAsync(DecodedImage image, CancellationToken cancellationToken = default)
    {
        var (probabilities, timing) = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return Decide(probabilities, timing);
    }

    protected abstract TOutcome Decide(float[] probabilities, StageTiming timing);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Scorer.DisposeAsync();
    }
}
