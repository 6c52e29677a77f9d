namespace Cascade.Training.Evaluation;

/// <summary>A point of the precision-recall curve: accepting scores >= <see cref="Threshold"/>.</summary>
public readonly record struct PrecisionRecallPoint(float Threshold, double Precision, double Recall);

/// <summary>Gate quality at one threshold and over all thresholds (ROC AUC, precision-recall curve).</summary>
public sealed record BinaryMetrics(int Positives, int Negatives, int TruePositives, int FalsePositives, float Threshold, double RocAuc)
{
    public int FalseNegatives => Positives - TruePositives;
    public int TrueNegatives => Negatives - FalsePositives;
    /// <summary>1 when nothing was accepted (no false positive either).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => Positives == 0 ? 1 : (double)TruePositives / Positives;

    public static BinaryMetrics Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> positive, float threshold)
    {
        if (scores.Count != positive.Count) throw new ArgumentException("Scores and labels differ in length.");
        int pos = 0, neg = 0, tp = 0, fp = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var accepted = scores[i] >= threshold;
            if (positive[i]) { pos++; if (accepted) tp++; }
            else { neg++; if (accepted) fp++; }
        }
        return new BinaryMetrics(pos, neg, tp, fp, threshold, RocAucOf(scores, positive));
    }

    /// <summary>Probability that a random positive scores above a random negative (ties count half): the Mann-Whitney U statistic.</summary>
    public static double RocAucOf(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositive = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (positive[order[k]]) { rankSumPositive += averageRank; positives++; }
            start = end + 1;
        }
        var negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>The curve at every distinct score, from the highest threshold down.</summary>
    public static IReadOnlyList<PrecisionRecallPoint> Curve(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var totalPositives = positive.Count(p => p);
        var points = new List<PrecisionRecallPoint>();
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (positive[order[k]]) tp++; else fp++;
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue;
            points.Add(new PrecisionRecallPoint(scores[order[k]], (double)tp / (tp + fp), totalPositives == 0 ? 1 : (double)tp / totalPositives));
        }
        return points;
    }
}
