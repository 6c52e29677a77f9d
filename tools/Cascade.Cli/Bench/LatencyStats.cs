using Cascade.LoadGenerator;

namespace Cascade.Cli.Bench;

/// <summary>Throughput and latency percentiles of one measured run.</summary>
public sealed record LatencyStats(string Name, int Count, double Seconds, double P50Ms, double P95Ms, double P99Ms)
{
    public double PerSecond => Count / Seconds;

    /// <summary>Images per second over several runs together: all their images over all their time.</summary>
    public static double PooledPerSecond(IReadOnlyCollection<LatencyStats> runs) => runs.Sum(r => r.Count) / runs.Sum(r => r.Seconds);

    public static LatencyStats From(string name, int count, TimeSpan elapsed, IReadOnlyCollection<double> latenciesMs)
    {
        var sorted = latenciesMs.Order().ToArray();
        return new LatencyStats(name, count, elapsed.TotalSeconds, Percentiles.Of(sorted, 0.50), Percentiles.Of(sorted, 0.95), Percentiles.Of(sorted, 0.99));
    }
}
