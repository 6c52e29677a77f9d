using System.Collections.Concurrent;
using System.Diagnostics;
using Cascade.Cli.Commands;
using Cascade.LoadGenerator;
using Cascade.Orchestrator.Submissions;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Cli.Bench;

/// <summary>Unary Classify through the gRPC API from this process, at fixed concurrency, as a separate client would, against the same flow in-process.</summary>
public sealed class GrpcBench(BenchReport report)
{
    public static readonly int[] Concurrencies = [1, 16, 64];

    /// <summary>
    /// Each concurrency through gRPC and then the same flow in this process (all-in-one, in-memory bus), pass for
    /// pass, so both see the same machine: its speed drifts by 20% within a minute.
    /// </summary>
    /// <param name="packs">The packs of the in-process flow: those the server should run too.</param>
    internal async Task RunAsync(Uri server, (string Gate, string Classifier) packs, IReadOnlyList<byte[]> images, string modelDirectory, CancellationToken cancellationToken)
    {
        using var cascade = new CascadeServer(server);
        await using var app = await EndToEndBench.StartAsync("InMemory", packs, modelDirectory, "127.0.0.1", cancellationToken);
        var inProcess = new EndToEndLoad(app.Services.GetRequiredService<SubmissionService>());

        // Warm-up, whole passes each (connections, batchers, and the tiered JIT until it settles; the server's JIT is
        // not visible from here, so it gets as many passes as the in-process flow needed, and one more).
        await ClosedLoopAsync(cascade, images, 16, cancellationToken);
        var (passes, _) = await JitWarmUp.RunAsync(() => inProcess.RunAsync(images, images.Count, 16, cancellationToken));
        for (var pass = 1; pass <= passes; pass++) await ClosedLoopAsync(cascade, images, 16, cancellationToken);
        foreach (var concurrency in Concurrencies)
        {
            var overGrpc = await ClosedLoopAsync(cascade, images, concurrency, cancellationToken);
            report.Add($"gRPC {server}", overGrpc with { Name = $"unary Classify, concurrency {concurrency}" });
            var run = await inProcess.RunAsync(images, images.Count, concurrency, cancellationToken);
            report.Add("in-process SubmissionService", new LatencyStats($"concurrency {concurrency}", run.Images, run.Seconds, run.P50Ms, run.P95Ms, run.P99Ms));
            report.Note($"concurrency {concurrency}: gRPC {overGrpc.PerSecond:0.0} images/s = {overGrpc.PerSecond / run.ImagesPerSecond:P0} of in-process {run.ImagesPerSecond:0.0} images/s (target >= 90%).");
        }
        await app.StopAsync(cancellationToken);
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
