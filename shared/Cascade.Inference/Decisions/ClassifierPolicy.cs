using Cascade.Inference.Packs;

namespace Cascade.Inference.Decisions;

public readonly record struct LabelScore(string Label, float Score, float Threshold);

/// <summary>Per-label scores and the chosen label; <see cref="Label"/> is null for "none of these".</summary>
public sealed record ClassifierDecisionResult(IReadOnlyList<LabelScore> Scores, string? Label);

/// <summary>
/// Fine-grained decision over the pack's labels, each the summed probability of its group.
/// <see cref="ClassifierRule.Argmax"/>: the best label unless its score is below MinScore.
/// <see cref="ClassifierRule.Independent"/>: every label against its own threshold, the best passing one wins,
/// none passing means "none of these" (the multi-label rule that lets a classifier refuse).
/// </summary>
public sealed class ClassifierPolicy
{
    private readonly (string Label, int[] Indices, float Threshold)[] _labels;

    public ClassifierPolicy(ModelManifest manifest)
    {
        var decision = manifest.Classifier ?? throw new ModelPackException($"Pack {manifest.Name} has no classifier decision.");
        Rule = decision.Rule;
        _labels = decision.Labels
            .Select(l => (l, manifest.Groups[l], Rule == ClassifierRule.Independent ? decision.Thresholds[l] : decision.MinScore))
            .ToArray();
    }

    public ClassifierRule Rule { get; }
    public IEnumerable<string> Labels => _labels.Select(l => l.Label);

    public ClassifierDecisionResult Decide(ReadOnlySpan<float> probabilities)
    {
        var scores = new LabelScore[_labels.Length];
        string? best = null;
        var bestScore = float.NegativeInfinity;
        for (var i = 0; i < _labels.Length; i++)
        {
            var (label, indices, threshold) = _labels[i];
            var score = 0f;
            foreach (var index in indices) score += probabilities[index];
            score = Math.Clamp(score, 0f, 1f);
            scores[i] = new LabelScore(label, score, threshold);
            if (score > bestScore)
            {
                bestScore = score;
                best = label;
            }
        }
        var chosen = Rule == ClassifierRule.Argmax
            ? (bestScore >= _labels[0].Threshold ? best : null)
            : scores.Where(s => s.Score >= s.Threshold).OrderByDescending(s => s.Score).Select(s => s.Label).FirstOrDefault();
        return new ClassifierDecisionResult(scores, chosen);
    }
}
