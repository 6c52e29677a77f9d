using Cascade.Inference.Packs;

namespace Cascade.Inference.Decisions;

/// <summary>What the gate decided for one image.</summary>
public readonly record struct GateDecisionResult(float Score, float Threshold, bool Accepted);

/// <summary>
/// Object vs no object: the score is the summed probability of the positive group (for a binary sigmoid
/// head, the group is its single output); accepted when score >= threshold.
/// </summary>
public sealed class GatePolicy
{
    private readonly int[] _positive;

    public GatePolicy(ModelManifest manifest, float? thresholdOverride = null)
    {
        var gate = manifest.Gate ?? throw new ModelPackException($"Pack {manifest.Name} has no gate decision.");
        _positive = manifest.Groups[gate.PositiveGroup];
        Threshold = thresholdOverride ?? gate.Threshold;
        if (Threshold is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(thresholdOverride), $"Gate threshold {Threshold} is outside 0..1.");
    }

    public float Threshold { get; }

    public float Score(ReadOnlySpan<float> probabilities)
    {
        var sum = 0f;
        foreach (var i in _positive) sum += probabilities[i];
        return Math.Clamp(sum, 0f, 1f);
    }

    public GateDecisionResult Decide(ReadOnlySpan<float> probabilities)
    {
        var score = Score(probabilities);
        return new GateDecisionResult(score, Threshold, score >= Threshold);
    }
}
