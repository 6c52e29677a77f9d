using Cascade.Contracts;

namespace Cascade.LoadGenerator;

/// <summary>What <see cref="EndToEndLoad"/> measured: throughput and submit-to-result latency percentiles.</summary>
public sealed record LoadReport(
    int Images,
    int Concurrency,
    double Seconds,
    double ImagesPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    IReadOnlyDictionary<SubmissionStatus, int> ByStatus)
{
    public override string ToString() =>
        $"{Images} images at concurrency {Concurrency} in {Seconds:0.00} s: {ImagesPerSecond:0.0} images/s, latency p50 {P50Ms:0.0} ms, p95 {P95Ms:0.0} ms, p99 {P99Ms:0.0} ms; "
        + string.Join(", ", ByStatus.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));
}
