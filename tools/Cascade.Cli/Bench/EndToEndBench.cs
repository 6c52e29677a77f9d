using Cascade.AllInOne;
using Cascade.Inference.Pipeline;
using Cascade.LoadGenerator;
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
    /// <summary>Rounds of alternating in-process and services passes per transport.</summary>
    private const int Rounds = 2;

    /// <param name="packs">The gate and classifier packs, for the in-process cascade and the services alike.</param>
    public async Task RunAsync(Func<CascadePipeline> pipeline, (string Gate, string Classifier) packs, IReadOnlyList<byte[]> images, string modelDirectory, string rabbitMqHost,
        CancellationToken cancellationToken)
    {
        await using var cascade = pipeline();
        var inProcess = new InferenceBench(report, TimeSpan.Zero, concurrency);
        await JitWarmUp.RunAsync(() => inProcess.CascadePassAsync(cascade, images));
        foreach (var transport in new[] { "InMemory", "RabbitMq" })
            await ServicesAsync(transport, packs, images, () => inProcess.CascadePassAsync(cascade, images), modelDirectory, rabbitMqHost, cancellationToken);
    }

    /// <summary>The all-in-one host on <paramref name="transport"/> with these packs, ready.</summary>
    internal static async Task<WebApplication> StartAsync(string transport, (string Gate, string Classifier) packs, string modelDirectory, string rabbitMqHost,
        CancellationToken cancellationToken)
    {
        var app = CascadeHost.BuildAllInOne(
        [
            "--urls=http://127.0.0.1:0",
            $"--Bus:Transport={transport}",
            $"--Bus:RabbitMq:Host={rabbitMqHost}",
            $"--Inference:ModelDirectory={modelDirectory}",
            $"--Gate:Pack={packs.Gate}",
            $"--Classifier:Pack={packs.Classifier}",
            "--Logging:LogLevel:Default=Warning",
            // Readiness polling logs every not-ready check as an error while the models load.
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        ]);
        await app.StartAsync(cancellationToken);
        await app.WaitUntilReadyAsync(TimeSpan.FromMinutes(1), cancellationToken);
        return app;
    }

    private async Task ServicesAsync(string transport, (string Gate, string Classifier) packs, IReadOnlyList<byte[]> images, Func<Task<LatencyStats>> inProcessPass, string modelDirectory, string rabbitMqHost,
        CancellationToken cancellationToken)
    {
        var section = $"end to end, {transport}";
        await using var app = await StartAsync(transport, packs, modelDirectory, rabbitMqHost, cancellationToken);
        var submissions = app.Services.GetRequiredService<SubmissionService>();
        var load = new EndToEndLoad(submissions);

        // The services run far more code than the in-process cascade (bus, saga, serialization, store): whole passes
        // until their tiered JIT has settled, or they pay it inside the measurement.
        var warmUp = await JitWarmUp.RunAsync(() => load.RunAsync(images, images.Count, concurrency, cancellationToken));
        report.Note(warmUp.Settled
            ? $"{transport}: {warmUp.Passes} warm-up passes of the services before the JIT settled."
            : $"{transport}: the JIT still compiled for more than {JitWarmUp.SettledShare:P0} of the last of {warmUp.Passes} warm-up passes.");

        // In-process and services passes alternate, so both see the same machine: on a shared machine the speed
        // drifts by 20% within a minute, and runs taken a minute apart compared the drift more than the code.
        var (cascade, services) = (new List<LatencyStats>(), new List<LatencyStats>());
        var (cascadeCpu, servicesCpu, brokerCpu) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        for (var round = 1; round <= Rounds; round++)
        {
            var cpu = CpuTime.Start();
            var pass = await inProcessPass();
            cascadeCpu += cpu.Elapsed;
            cascade.Add(pass with { Name = $"{pass.Name}, round {round}" });
            report.Add(section, cascade[^1]);

            cpu = CpuTime.Start();
            var closed = await load.RunAsync(images, images.Count, concurrency, cancellationToken);
            servicesCpu += cpu.Elapsed;
            brokerCpu += cpu.BrokerElapsed;
            services.Add(new LatencyStats($"closed loop, concurrency {concurrency}, round {round}", closed.Images, closed.Seconds, closed.P50Ms, closed.P95Ms, closed.P99Ms));
            report.Add(section, services[^1]);
        }
        var (inProcess, endToEnd) = (LatencyStats.PooledPerSecond(cascade), LatencyStats.PooledPerSecond(services));
        report.Note($"{transport}: end-to-end {endToEnd:0.0} images/s = {endToEnd / inProcess:P0} of the in-process cascade's {inProcess:0.0} images/s in alternating passes (target for RabbitMQ >= 80%).");
        double PerImage(TimeSpan cpu) => cpu.TotalMilliseconds / (Rounds * images.Count);
        report.Note($"{transport}: CPU per image: in-process cascade {PerImage(cascadeCpu):0.0} ms; services {PerImage(servicesCpu):0.0} ms" +
            (transport == "RabbitMq" ? $" plus {PerImage(brokerCpu):0.0} ms in the broker." : "."));

        var half = endToEnd / 2;
        var open = await OpenLoopLoad.RunAsync($"open loop at {half:0} images/s (half the maximum)", submissions, images, half, openLoopDuration, cancellationToken);
        report.Add(section, open);
        report.Note($"{transport}: p99 {open.P99Ms:0.0} ms at half of the maximum throughput (target < 100 ms).");
        await app.StopAsync(cancellationToken);
    }
}
