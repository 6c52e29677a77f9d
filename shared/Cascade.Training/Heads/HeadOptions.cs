namespace Cascade.Training.Heads;

public enum LossKind
{
    /// <summary>Binary cross-entropy per output (softmax cross-entropy for a softmax head).</summary>
    BinaryCrossEntropy,
    /// <summary>Focal loss (Lin et al. 2017): down-weights easy examples, so the many easy negatives don't swamp the few hard ones.</summary>
    Focal,
}

public enum ClassBalance
{
    None,
    /// <summary>Sample weights inversely proportional to class frequency.</summary>
    ClassWeights,
    /// <summary>Rarer classes repeated in every epoch until each class is about as frequent as the largest.</summary>
    Oversample,
}

public enum HeadActivation
{
    /// <summary>Independent probability per output: multi-label, can say "none of these".</summary>
    Sigmoid,
    /// <summary>One distribution over the outputs: always picks one.</summary>
    Softmax,
}

/// <summary>How a linear head is trained on embeddings (Adam with L2 on the weights).</summary>
public sealed record HeadOptions
{
    public LossKind Loss { get; init; } = LossKind.BinaryCrossEntropy;
    public float FocalGamma { get; init; } = 2;
    /// <summary>Focal loss weight of positive targets (negatives get 1 − alpha); null leaves balancing to <see cref="Balance"/>.</summary>
    public float? FocalAlpha { get; init; }
    public ClassBalance Balance { get; init; } = ClassBalance.ClassWeights;
    public int Epochs { get; init; } = 150;
    public float LearningRate { get; init; } = 0.01f;
    public float L2 { get; init; } = 1e-4f;
    /// <summary>0 for full-batch gradient descent, else the mini-batch size.</summary>
    public int BatchSize { get; init; }
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be positive, was {Epochs}.");
        if (LearningRate is <= 0 or > 10) throw new ArgumentException($"Learning rate {LearningRate} is outside (0, 10].");
        if (L2 < 0) throw new ArgumentException($"L2 must not be negative, was {L2}.");
        if (BatchSize < 0) throw new ArgumentException($"Batch size must be 0 (full batch) or positive, was {BatchSize}.");
        if (FocalGamma < 0) throw new ArgumentException($"Focal gamma must not be negative, was {FocalGamma}.");
        if (FocalAlpha is < 0 or > 1) throw new ArgumentException($"Focal alpha {FocalAlpha} is outside 0..1.");
    }
}
