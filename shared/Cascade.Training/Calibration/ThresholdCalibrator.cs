namespace Cascade.Training.Calibration;

/// <summary>Chooses decision thresholds on held-out scores (never on the training rows, which the head has memorised).</summary>
public static class ThresholdCalibrator
{
    /// <summary>
    /// Slack below the chosen score, so an image scored by ONNX Runtime (a different summation order than the
    /// managed head) is not rejected by a rounding difference.
    /// </summary>
    public const float Margin = 1e-5f;

    /// <summary>
    /// The highest threshold at which at least <paramref name="targetRecall"/> of <paramref name="positiveScores"/>
    /// are accepted (score >= threshold): the fewest false positives that still keeps the recall.
    /// </summary>
    public static float ForRecall(IEnumerable<float> positiveScores, double targetRecall)
    {
        if (targetRecall is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(targetRecall), $"Target recall {targetRecall} is outside (0, 1].");
        var sorted = positiveScores.OrderByDescending(s => s).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No positive scores to calibrate on.");
        var needed = Math.Clamp((int)Math.Ceiling(targetRecall * sorted.Length - 1e-9), 1, sorted.Length);
        return Math.Clamp(sorted[needed - 1] - Margin, 0f, 1f);
    }

    /// <summary>
    /// Per-label thresholds for the "none of these" rule: each label keeps <paramref name="targetRecall"/> of its own
    /// held-out images, but never needs more than <paramref name="maxThreshold"/> (a confident head would otherwise
    /// get thresholds near 1 and refuse slightly unusual photos).
    /// </summary>
    public static Dictionary<string, float> ForLabels(IReadOnlyList<string> labels, IReadOnlyList<(int Label, float[] Scores)> heldOut,
        double targetRecall, float maxThreshold)
    {
        var thresholds = new Dictionary<string, float>();
        for (var j = 0; j < labels.Count; j++)
        {
            var own = heldOut.Where(h => h.Label == j).Select(h => h.Scores[j]).ToList();
            thresholds[labels[j]] = own.Count == 0 ? maxThreshold : Math.Min(maxThreshold, ForRecall(own, targetRecall));
        }
        return thresholds;
    }
}
