using Cascade.Training.Evaluation;

namespace Cascade.Training.Training;

/// <summary>What a training run produced and how well the heads did on the test split (scored in process).</summary>
public sealed record TrainingResult
{
    public string? GatePackDirectory { get; init; }
    /// <summary>The backbone packs the head packs name (<see cref="PackLayout.SharedBackbone"/>): one when both heads average alike.</summary>
    public IReadOnlyList<string> BackbonePackDirectories { get; init; } = [];
    public string? ClassifierPackDirectory { get; init; }
    public int TrainImages { get; init; }
    public int ValidationImages { get; init; }
    public int TestImages { get; init; }
    /// <summary>Embeddings used, and how many of them the backbone computed (the rest came from the cache).</summary>
    public int Embeddings { get; init; }
    public int EmbeddingsComputed { get; init; }
    public int HardNegativesMined { get; init; }
    public float? GateThreshold { get; init; }
    public IReadOnlyDictionary<string, float>? LabelThresholds { get; init; }
    /// <summary>Gate on the validation split at the calibrated threshold (its recall is the target by construction).</summary>
    public BinaryMetrics? GateValidation { get; init; }
    /// <summary>Gate on the test split at the calibrated threshold.</summary>
    public BinaryMetrics? GateTest { get; init; }
    /// <summary>The test images the gate got wrong at its calibrated threshold (missed objects and accepted negatives), with their scores.</summary>
    public IReadOnlyList<Misclassified> GateTestErrors { get; init; } = [];
    /// <summary>Classifier on the test split's labelled images: argmax over the labels, thresholds ignored.</summary>
    public ConfusionMatrix? ClassifierTest { get; init; }
    /// <summary>The test images <see cref="ClassifierTest"/> counts as wrong.</summary>
    public IReadOnlyList<Misclassified> ClassifierTestErrors { get; init; } = [];
    public TimeSpan EmbeddingTime { get; init; }
    public TimeSpan TotalTime { get; init; }
}
