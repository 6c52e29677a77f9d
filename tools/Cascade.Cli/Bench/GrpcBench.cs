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
    /// Alternating gRPC and in-process passes per concurrency, pooled: a pass over the images takes 3-8 s, and single
    /// passes on a shared machine gave ratios from 76% to 100% for the same build.
    /// </summary>
    private const int Rounds = 3;

    /// <summary>
    /// Each concurrency through gRPC and then the same flow in this process (all-in-one, in-memory bus), pass for
    /// pass, <see cref="Rounds"/> times, so both see the same machine: its speed drifts by 20% within a minute.
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
            var (overGrpc, inProcessRuns) = (new List<LatencyStats>(), new List<LatencyStats>());
            for (var round = 1; round <= Rounds; round++)
            {
                var grpc = await ClosedLoopAsync(cascade, images, concurrency, cancellationToken);
                overGrpc.Add(grpc with { Name = $"unary Classify, concurrency {concurrency}, round {round}" });
                report.Add($"gRPC {server}", overGrpc[^1]);
                var run = await inProcess.RunAsync(images, images.Count, concurrency, cancellationToken);
                inProcessRuns.Add(new LatencyStats($"concurrency {concurrency}, round {round}", run.Images, run.Seconds, run.P50Ms, run.P95Ms, run.P99Ms));
                report.Add("in-process SubmissionService", inProcessRuns[^1]);
            }
            var (grpcPerSecond, inProcessPerSecond) = (LatencyStats.PooledPerSecond(overGrpc), LatencyStats.PooledPerSecond(inProcessRuns));
            var rounds = string.Join(", ", overGrpc.Zip(inProcessRuns, (g, i) => $"{g.PerSecond / i.PerSecond:P0}"));
            report.Note($"concurrency {concurrency}: gRPC {grpcPerSecond:0.0} images/s = {grpcPerSecond / inProcessPerSecond:P0} of in-process {inProcessPerSecond:0.0} images/s over {Rounds} alternating rounds (each: {rounds}; target >= 90%).");
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
