using Cascade.Inference.Decisions;

namespace Cascade.Inference.Pipeline;

public sealed record GateOutcome(GateDecisionResult Decision, StageTiming Timing, string Model, string ModelVersion);

/// <summary>Stage 1: does the image show the object at all?</summary>
public sealed class GateStage(ModelScorer scorer, GatePolicy policy) : ModelStage<GateOutcome>(scorer)
{
    public GatePolicy Policy { get; } = policy;

    protected override GateOutcome Decide(float[] probabilities, StageTiming timing) =>
        new(Policy.Decide(probabilities), timing, Manifest.Name, Manifest.Version);
}
