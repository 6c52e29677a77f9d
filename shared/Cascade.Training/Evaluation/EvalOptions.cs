using Cascade.Inference;
using Cascade.Training.Data;

namespace Cascade.Training.Evaluation;

/// <summary>A gate pack and a classifier pack evaluated together as one cascade (folders holding model.json).</summary>
public sealed record CascadeUnderTest(string Name, string GatePack, string ClassifierPack);

/// <summary>What <see cref="Evaluator.RunAsync"/> scores, on which images, and where the report goes.</summary>
public sealed record EvalOptions
{
    /// <summary>The labelled folders; use the training run's split options so the test split is the same images.</summary>
    public required DatasetOptions Dataset { get; init; }
    /// <summary>Which split to score; null scores every image.</summary>
    public DatasetSplit? Split { get; init; } = DatasetSplit.Test;
    public required IReadOnlyList<CascadeUnderTest> Cascades { get; init; }
    /// <summary>Where metrics.json and report.html are written.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Folder with model files for packs that have only model.json (the reference packs): their <c>model.mirrorFileName</c> is looked up here.</summary>
    public string? ModelMirror { get; init; }
    /// <summary>Misclassified images shown per cascade in the report.</summary>
    public int MaxThumbnails { get; init; } = 24;
    public int BatchSize { get; init; } = 16;
    public InferenceOptions Inference { get; init; } = new();

    public void Validate()
    {
        Dataset.Validate();
        if (Cascades.Count == 0) throw new ArgumentException("No cascade to evaluate.");
        if (Cascades.Select(c => c.Name).Distinct().Count() != Cascades.Count) throw new ArgumentException("Cascade names must be unique.");
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("Output directory is empty.");
        if (MaxThumbnails < 0) throw new ArgumentException($"Thumbnails must not be negative, was {MaxThumbnails}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be positive, was {BatchSize}.");
    }
}

/// <summary>Progress of one pack being scored: <see cref="Completed"/> of <see cref="Total"/> images.</summary>
public sealed record EvalProgress(string Pack, int Completed, int Total, string Message);
