using Cascade.Inference.Decisions;

namespace Cascade.Inference.Pipeline;

public sealed record ClassifierOutcome(ClassifierDecisionResult Decision, StageTiming Timing, string Model, string ModelVersion);

/// <summary>Stage 2: which label, if any, for an image the gate accepted.</summary>
public sealed class ClassifierStage(ModelScorer scorer, ClassifierPolicy policy) : ModelStage<ClassifierOutcome>(scorer)
{
    public ClassifierPolicy Policy { get; } = policy;

    protected override ClassifierOutcome Decide(float[] probabilities, StageTiming timing) =>
        new(Policy.Decide(probabilities), timing, Manifest.Name, Manifest.Version);
}
