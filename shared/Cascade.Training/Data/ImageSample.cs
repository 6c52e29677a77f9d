namespace Cascade.Training.Data;

public enum DatasetSplit
{
    Train,
    Validation,
    Test,
}

public enum SampleKind
{
    /// <summary>One of the labels; <see cref="ImageSample.Label"/> says which.</summary>
    Labelled,
    /// <summary>The object but none of the labels: the gate accepts it, the classifier should say "none of these".</summary>
    OtherPositive,
    /// <summary>No object.</summary>
    Negative,
    /// <summary>A generated negative (<see cref="Synthetic.SyntheticNegativeGenerator"/>); no file behind it.</summary>
    Synthetic,
}

/// <summary>One image of the dataset. <see cref="ContentHash"/> (sha256 of the bytes) keys the split and the embedding cache.</summary>
public sealed record ImageSample(string Path, string ContentHash, SampleKind Kind, int Label, DatasetSplit Split)
{
    /// <summary>What the gate should say.</summary>
    public bool IsObject => Kind is SampleKind.Labelled or SampleKind.OtherPositive;
}
