namespace Cascade.Training.Evaluation;

/// <summary>An image the cascade got wrong end to end.</summary>
public sealed record Misclassified(string Path, string Expected, string Predicted, float GateScore);

/// <summary>Everything measured for one cascade on the evaluated images.</summary>
public sealed record CascadeMetrics
{
    public required string Name { get; init; }
    public required string GatePack { get; init; }
    public required string ClassifierPack { get; init; }
    public required float GateThreshold { get; init; }
    /// <summary>Object (labelled or other positive) vs no object at the gate's threshold; ROC AUC over all thresholds.</summary>
    public required BinaryMetrics Gate { get; init; }
    /// <summary>At most ~200 points, highest threshold first.</summary>
    public required IReadOnlyList<PrecisionRecallPoint> PrecisionRecallCurve { get; init; }
    /// <summary>Labelled images only, with the classifier's own rule ("none" when it refuses); gate ignored.</summary>
    public required ConfusionMatrix Fine { get; init; }
    /// <summary>Labelled images only: the highest-scoring label, thresholds ignored.</summary>
    public required double FineArgmaxAccuracy { get; init; }
    /// <summary>Every image: expected "no object" / a label / "unknown" (other positives) vs the cascade's verdict.</summary>
    public required ConfusionMatrix Verdicts { get; init; }
    public required IReadOnlyList<Misclassified> Errors { get; init; }
}

/// <summary>The evaluation's result and where its files went.</summary>
public sealed record EvalReport(IReadOnlyList<CascadeMetrics> Cascades, int Images, string? Split, string MetricsPath, string ReportPath);
