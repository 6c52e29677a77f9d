using Cascade.LoadGenerator;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.Faults;

/// <summary>One closed-loop pass of the soak's throughput phase: the in-process cascade, or the services over RabbitMQ.</summary>
public sealed record ThroughputPass(string Name, int Images, double Seconds, double P50Ms, double P95Ms, double P99Ms)
{
    public double PerSecond => Images / Seconds;

    public static ThroughputPass From(string name, InProcessCascadePass pass) =>
        new(name, pass.Images, pass.Elapsed.TotalSeconds, Percentiles.Of(pass.LatenciesMs, 0.50), Percentiles.Of(pass.LatenciesMs, 0.95), Percentiles.Of(pass.LatenciesMs, 0.99));

    /// <summary>Counts answered submissions only: a pass that lost some is not credited with them.</summary>
    public static ThroughputPass From(string name, AmqpLoadReport report) =>
        new(name, report.Latencies.Count, report.Latencies.Count / report.AnsweredPerSecond, report.LatencyMs(0.50), report.LatencyMs(0.95), report.LatencyMs(0.99));

    /// <summary>Images per second over several passes together.</summary>
    public static double PerSecondOf(IEnumerable<ThroughputPass> passes)
    {
        var list = passes.ToList();
        return list.Sum(p => p.Images) / list.Sum(p => p.Seconds);
    }
}
