using Cascade.Imaging;
using Cascade.Inference.Decisions;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

public sealed record GateOutcome(GateDecisionResult Decision, StageTiming Timing, string Model, string ModelVersion);

/// <summary>Stage 1: does the image show the object at all?</summary>
public sealed class GateStage(ModelScorer scorer, GatePolicy policy) : IAsyncDisposable
{
    public ModelScorer Scorer { get; } = scorer;
    public GatePolicy Policy { get; } = policy;
    public ModelManifest Manifest => Scorer.Pack.Manifest;

    public async Task<GateOutcome> EvaluateAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var (probabilities, timing) = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return Outcome(probabilities, timing);
    }

    public async Task<GateOutcome> EvaluateAsync(DecodedImage image, CancellationToken cancellationToken = default)
    {
        var (probabilities, timing) = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return Outcome(probabilities, timing);
    }

    private GateOutcome Outcome(float[] probabilities, StageTiming timing) =>
        new(Policy.Decide(probabilities), timing, Manifest.Name, Manifest.Version);

    public ValueTask DisposeAsync() => Scorer.DisposeAsync();
}
