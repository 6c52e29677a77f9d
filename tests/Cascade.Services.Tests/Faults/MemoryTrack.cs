namespace Cascade.Services.Tests.Faults;

/// <summary>
/// One process's or container's memory (or a service's managed heap) over the half-load run, judged against the soak's criterion: after the
/// warm-up every sample stays within 10% of the one at the warm-up's end. The trend (least squares over the samples
/// after the warm-up) shows a slow leak that 10% over ten minutes would still let through.
/// </summary>
public sealed record MemoryTrack(string Name, double AtStart, double AtWarmUpEnd, TimeSpan WarmUpEndedAt, double AtEnd, TimeSpan EndedAt,
    double MaxAfterWarmUp, double MinAfterWarmUp, double MiBPerMinute)
{
    public const double Tolerance = 0.10;

    public bool Flat => MaxAfterWarmUp <= (1 + Tolerance) * AtWarmUpEnd && MinAfterWarmUp >= (1 - Tolerance) * AtWarmUpEnd;

    /// <summary>The track of one series of (time, MiB) samples, in time order.</summary>
    public static MemoryTrack From(string name, IReadOnlyList<(TimeSpan At, double MiB)> points, TimeSpan warmUp)
    {
        // NaN (a process that exited, a container docker could not read) poisons every number, and so fails Flat.
        var warm = points.FirstOrDefault(p => p.At >= warmUp, points[^1]);
        var after = points.Where(p => p.At >= warm.At).ToList();
        return new MemoryTrack(name, points[0].MiB, warm.MiB, warm.At, points[^1].MiB, points[^1].At,
            after.Max(p => p.MiB), after.Min(p => p.MiB), Slope(after.Select(p => (p.At.TotalMinutes, p.MiB)).ToList()));
    }

    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2) return double.NaN;
        var (meanX, meanY) = (points.Average(p => p.X), points.Average(p => p.Y));
        return points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
    }
}
