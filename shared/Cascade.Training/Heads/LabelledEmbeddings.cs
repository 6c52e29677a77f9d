namespace Cascade.Training.Heads;

/// <summary>
/// Training rows for a head: embeddings, a 0/1 target per output (all zeros = "none of these" / no object)
/// and a weight per row (hard negatives may count more).
/// </summary>
public sealed record LabelledEmbeddings(IReadOnlyList<float[]> Features, IReadOnlyList<float[]> Targets, IReadOnlyList<float> Weights)
{
    public int Count => Features.Count;
    public int Outputs => Targets.Count == 0 ? 0 : Targets[0].Length;

    /// <summary>The true class of row <paramref name="row"/>: the output whose target is 1, or -1 for none.</summary>
    public int ClassOf(int row)
    {
        var target = Targets[row];
        for (var j = 0; j < target.Length; j++)
            if (target[j] >= 0.5f) return j;
        return -1;
    }

    public LabelledEmbeddings Concat(LabelledEmbeddings other) =>
        new([.. Features, .. other.Features], [.. Targets, .. other.Targets], [.. Weights, .. other.Weights]);
}
