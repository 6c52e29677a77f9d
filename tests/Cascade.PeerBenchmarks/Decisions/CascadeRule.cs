using Cascade.PeerBenchmarks.Output;
using Cascade.PeerBenchmarks.Packs;

namespace Cascade.PeerBenchmarks.Decisions;

/// <summary>
/// The packs' decision as packs/README.md states it: softmax over the logits; a group's score is the sum of its
/// classes' probabilities (clamped to 0..1); the gate accepts at score >= threshold; the classifier takes the best
/// label unless its score is below minScore ("unknown").
/// </summary>
public sealed class CascadeRule
{
    private readonly int[] _gateGroup;
    private readonly float _threshold;
    private readonly (string Label, int[] Classes)[] _labels;
    private readonly float _minScore;

    /// <exception cref="PeerInputException">The gate pack has no gate decision or the classifier pack no classifier decision.</exception>
    public CascadeRule(PeerPack gate, PeerPack classifier)
    {
        var gateSpec = gate.Manifest.Gate ?? throw new PeerInputException($"{gate.Manifest.Name} has no gate decision (model.json \"gate\").");
        var classifierSpec = classifier.Manifest.Classifier
            ?? throw new PeerInputException($"{classifier.Manifest.Name} has no classifier decision (model.json \"classifier\").");
        _gateGroup = gate.Manifest.Groups[gateSpec.PositiveGroup];
        _threshold = gateSpec.Threshold;
        _labels = classifierSpec.Labels.Select(l => (l, classifier.Manifest.Groups[l])).ToArray();
        _minScore = classifierSpec.MinScore;
    }

    public float GateScore(ReadOnlySpan<float> gateLogits) => GroupScore(gateLogits, _gateGroup);

    public bool Accepts(float gateScore) => gateScore >= _threshold;

    /// <summary>The line for an image the gate accepted: its label, or unknown when no label reaches minScore.</summary>
    public VerdictLine Classify(string file, float gateScore, ReadOnlySpan<float> classifierLogits)
    {
        string? best = null;
        var bestScore = float.NegativeInfinity;
        foreach (var (label, classes) in _labels)
        {
            var score = GroupScore(classifierLogits, classes);
            if (score > bestScore) (best, bestScore) = (label, score);
        }
        return bestScore >= _minScore ? VerdictLine.Labelled(file, gateScore, best!) : VerdictLine.Unknown(file, gateScore);
    }

    /// <summary>The summed softmax probability of <paramref name="classes"/>.</summary>
    private static float GroupScore(ReadOnlySpan<float> logits, int[] classes)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits) max = Math.Max(max, logit);
        var total = 0f;
        foreach (var logit in logits) total += MathF.Exp(logit - max);
        var group = 0f;
        foreach (var c in classes) group += MathF.Exp(logits[c] - max);
        return Math.Clamp(group / total, 0f, 1f);
    }
}
