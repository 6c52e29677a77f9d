namespace Cascade.LoadGenerator;

/// <summary>Nearest-rank percentiles, the one definition every load report here uses, so their numbers compare.</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="q"/> quantile (0-1) of ascending <paramref name="sorted"/>; NaN when it is empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
