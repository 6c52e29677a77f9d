using System.Collections.Concurrent;
using System.Diagnostics;
using Cascade.Cli.Commands;

namespace Cascade.Cli.Bench;

/// <summary>Unary Classify through the gRPC API from this process, at fixed concurrency, as a separate client would.</summary>
public sealed class GrpcBench(BenchReport report)
{
    public static readonly int[] Concurrencies = [1, 16, 64];

    internal async Task<Dictionary<int, double>> RunAsync(Uri server, IReadOnlyList<byte[]> images, CancellationToken cancellationToken)
    {
        using var cascade = new CascadeServer(server);
        var throughput = new Dictionary<int, double>();
        await ClosedLoopAsync(cascade, images.Take(32).ToList(), 8, cancellationToken); // warm-up: connections, JIT, batcher
        foreach (var concurrency in Concurrencies)
        {
            var stats = await ClosedLoopAsync(cascade, images, concurrency, cancellationToken);
            report.Add($"gRPC {server}", stats with { Name = $"unary Classify, concurrency {concurrency}" });
            throughput[concurrency] = stats.PerSecond;
        }
        return throughput;
    }

    private static async Task<LatencyStats> ClosedLoopAsync(CascadeServer cascade, IReadOnlyList<byte[]> images, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var elapsed = Stopwatch.StartNew();
        await Parallel.ForEachAsync(images, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (image, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            await cascade.ClassifyAsync(image, TimeSpan.FromMinutes(2), ct);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        return LatencyStats.From("grpc", images.Count, elapsed.Elapsed, latencies);
    }
}
