namespace Cascade.Cli.Bench;

/// <summary>Throughput and latency percentiles of one measured run.</summary>
public sealed record LatencyStats(string Name, int Count, double Seconds, double P50Ms, double P95Ms, double P99Ms)
{
    public double PerSecond => Count / Seconds;

    public static LatencyStats From(string name, int count, TimeSpan elapsed, IReadOnlyCollection<double> latenciesMs)
    {
        var sorted = latenciesMs.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencyStats(name, count, elapsed.TotalSeconds, At(0.50), At(0.95), At(0.99));
    }
}
