using Cascade.AllInOne;
using Cascade.Inference.Pipeline;
using Cascade.Orchestrator.Benchmarks;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Cli.Bench;

/// <summary>
/// The services end to end (claim check, bus, gate, classifier, saga) on the in-memory bus and on RabbitMQ,
/// against the in-process cascade on the same images in the same run.
/// </summary>
public sealed class EndToEndBench(BenchReport report, int concurrency, TimeSpan openLoopDuration)
{
    public async Task RunAsync(Func<CascadePipeline> pipeline, IReadOnlyList<byte[]> images, string modelDirectory, string rabbitMqHost, CancellationToken cancellationToken)
    {
        double inProcess;
        await using (var cascade = pipeline())
        {
            var bench = new InferenceBench(report, TimeSpan.Zero, concurrency);
            var cpu = CpuTime.Start();
            inProcess = (await bench.CascadeOnlyAsync("30% bears", cascade, images)).PerSecond;
            // Warm-up and measured pass: two passes over the images.
            report.Note($"in-process cascade: {cpu.MillisecondsPer(2 * images.Count):0.0} ms of this process's CPU per image.");
        }

        foreach (var transport in new[] { "InMemory", "RabbitMq" })
        {
            var throughput = await ServicesAsync(transport, images, modelDirectory, rabbitMqHost, cancellationToken);
            report.Note($"{transport}: end-to-end {throughput:0.0} images/s = {throughput / inProcess:P0} of the in-process cascade's {inProcess:0.0} images/s (target for RabbitMQ >= 80%).");
        }
    }

    /// <summary>The same flow submitted in-process (all-in-one, in-memory bus) at each concurrency, for the gRPC comparison.</summary>
    public async Task<Dictionary<int, double>> InProcessAsync(IReadOnlyList<byte[]> images, IEnumerable<int> concurrencies, string modelDirectory, CancellationToken cancellationToken)
    {
        await using var app = await StartAsync("InMemory", modelDirectory, "127.0.0.1", cancellationToken);
        var load = new EndToEndLoad(app.Services.GetRequiredService<SubmissionService>());
        await load.RunAsync(images, Math.Min(images.Count, 32), 8, cancellationToken); // warm-up
        var throughput = new Dictionary<int, double>();
        foreach (var c in concurrencies)
        {
            var run = await load.RunAsync(images, images.Count, c, cancellationToken);
            report.Add("in-process SubmissionService", new LatencyStats($"concurrency {c}", run.Images, run.Seconds, run.P50Ms, run.P95Ms, run.P99Ms));
            throughput[c] = run.ImagesPerSecond;
        }
        await app.StopAsync(cancellationToken);
        return throughput;
    }

    private static async Task<WebApplication> StartAsync(string transport, string modelDirectory, string rabbitMqHost, CancellationToken cancellationToken)
    {
        var app = CascadeHost.BuildAllInOne(
        [
            "--urls=http://127.0.0.1:0",
            $"--Bus:Transport={transport}",
            $"--Bus:RabbitMq:Host={rabbitMqHost}",
            $"--Inference:ModelDirectory={modelDirectory}",
            "--Logging:LogLevel:Default=Warning",
            // Readiness polling logs every not-ready check as an error while the models load.
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        ]);
        await app.StartAsync(cancellationToken);
        await app.WaitUntilReadyAsync(TimeSpan.FromMinutes(1), cancellationToken);
        return app;
    }

    private async Task<double> ServicesAsync(string transport, IReadOnlyList<byte[]> images, string modelDirectory, string rabbitMqHost, CancellationToken cancellationToken)
    {
        await using var app = await StartAsync(transport, modelDirectory, rabbitMqHost, cancellationToken);
        var submissions = app.Services.GetRequiredService<SubmissionService>();
        var load = new EndToEndLoad(submissions);

        // Warm-up: one whole pass. The services run far more code than the in-process cascade (bus, saga,
        // serialization), and with a short warm-up they paid their tiered JIT inside the measurement: JIT took
        // 11% of the CPU of a run with 64 warm-up images.
        await load.RunAsync(images, images.Count, concurrency, cancellationToken);
        var cpu = CpuTime.Start();
        var closed = await load.RunAsync(images, images.Count, concurrency, cancellationToken);
        report.Note($"{transport}: {cpu.MillisecondsPer(images.Count):0.0} ms of this process's CPU per image (the broker's not counted).");
        report.Add($"end to end, {transport}", new LatencyStats($"closed loop, concurrency {concurrency}", closed.Images, closed.Seconds, closed.P50Ms, closed.P95Ms, closed.P99Ms));

        var half = closed.ImagesPerSecond / 2;
        var open = await OpenLoopLoad.RunAsync($"open loop at {half:0} images/s (half the maximum)", submissions, images, half, openLoopDuration, cancellationToken);
        report.Add($"end to end, {transport}", open);
        report.Note($"{transport}: p99 {open.P99Ms:0.0} ms at half of the maximum throughput (target < 100 ms).");
        await app.StopAsync(cancellationToken);
        return closed.ImagesPerSecond;
    }
}
