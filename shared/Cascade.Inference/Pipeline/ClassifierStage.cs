using Cascade.Imaging;
using Cascade.Inference.Decisions;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

public sealed record ClassifierOutcome(ClassifierDecisionResult Decision, StageTiming Timing, string Model, string ModelVersion);

/// <summary>Stage 2: which label, if any, for an image the gate accepted.</summary>
public sealed class ClassifierStage(ModelScorer scorer, ClassifierPolicy policy) : IAsyncDisposable
{
    public ModelScorer Scorer { get; } = scorer;
    public ClassifierPolicy Policy { get; } = policy;
    public ModelManifest Manifest => Scorer.Pack.Manifest;

    public async Task<ClassifierOutcome> ClassifyAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var (probabilities, timing) = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return Outcome(probabilities, timing);
    }

    public async Task<ClassifierOutcome> ClassifyAsync(DecodedImage image, CancellationToken cancellationToken = default)
    {
        var (probabilities, timing) = await Scorer.ScoreAsync(image, cancellationToken).ConfigureAwait(false);
        return Outcome(probabilities, timing);
    }

    private ClassifierOutcome Outcome(float[] probabilities, StageTiming timing) =>
        new(Policy.Decide(probabilities), timing, Manifest.Name, Manifest.Version);

    public ValueTask DisposeAsync() => Scorer.DisposeAsync();
}
