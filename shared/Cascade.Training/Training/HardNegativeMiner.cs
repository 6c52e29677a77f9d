using Cascade.Training.Heads;

namespace Cascade.Training.Training;

/// <summary>
/// Hard-negative mining: negatives are practically unlimited and mostly easy, so rather than training on all of
/// them, score a large pool and keep only those the current gate wrongly accepts.
/// </summary>
public static class HardNegativeMiner
{
    /// <summary>Pool rows whose gate score reaches <paramref name="threshold"/>, hardest first.</summary>
    public static IReadOnlyList<int> Mine(LinearHead gate, IReadOnlyList<float[]> pool, float threshold)
    {
        var scores = pool.Select(e => gate.Scores(e)[0]).ToArray();
        return Enumerable.Range(0, pool.Count).Where(i => scores[i] >= threshold).OrderByDescending(i => scores[i]).ToList();
    }
}
