namespace Cascade.Training.Data;

/// <summary>
/// An image-folder dataset: <see cref="ClassRoot"/> holds one sub-folder per label (teddy/, grizzly/, black/);
/// negatives ("no object") and other positives (the object, but none of the labels) come from their own folders.
/// </summary>
public sealed record DatasetOptions
{
    public required string ClassRoot { get; init; }
    /// <summary>Labels to use, in output order; null means every sub-folder of <see cref="ClassRoot"/>, sorted.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    public IReadOnlyList<string> NegativeFolders { get; init; } = [];
    /// <summary>Images the gate must accept that belong to none of the labels (polar bears, pandas...).</summary>
    public IReadOnlyList<string> OtherPositiveFolders { get; init; } = [];
    public SplitOptions Split { get; init; } = new();
    /// <summary>Use only the first N images (by path) of every folder: quick experiments and tests.</summary>
    public int? MaxImagesPerFolder { get; init; }

    public void Validate()
    {
        if (!Directory.Exists(ClassRoot)) throw new ArgumentException($"Class folder {ClassRoot} does not exist.");
        foreach (var folder in NegativeFolders.Concat(OtherPositiveFolders).Where(f => !Directory.Exists(f)))
            throw new ArgumentException($"Folder {folder} does not exist.");
        if (MaxImagesPerFolder is < 1) throw new ArgumentException($"Images per folder must be positive, was {MaxImagesPerFolder}.");
        Split.Validate();
    }
}

/// <summary>
/// Deterministic split by a seeded hash of each file's content: the same image lands in the same split
/// on every machine and run, and byte-identical duplicates never straddle train and test.
/// </summary>
public sealed record SplitOptions
{
    public int Seed { get; init; } = 1;
    public double ValidationFraction { get; init; } = 0.15;
    public double TestFraction { get; init; } = 0.15;
    /// <summary>0 for a plain train/validation/test split; k for k-fold, where fold <see cref="Fold"/> is the test set.</summary>
    public int Folds { get; init; }
    public int Fold { get; init; }

    public void Validate()
    {
        if (ValidationFraction is < 0 or >= 1) throw new ArgumentException($"Validation fraction {ValidationFraction} is outside [0,1).");
        if (Folds == 0 && (TestFraction is < 0 or >= 1 || ValidationFraction + TestFraction >= 1))
            throw new ArgumentException($"Validation ({ValidationFraction}) and test ({TestFraction}) fractions must leave training data.");
        if (Folds == 1 || Folds < 0) throw new ArgumentException($"Folds must be 0 or at least 2, was {Folds}.");
        if (Folds > 0 && (Fold < 0 || Fold >= Folds)) throw new ArgumentException($"Fold {Fold} is outside 0..{Folds - 1}.");
    }
}
