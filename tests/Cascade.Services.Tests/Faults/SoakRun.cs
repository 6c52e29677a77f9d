using Cascade.Classifier;
using Cascade.Gate;
using Cascade.LoadGenerator;
using Cascade.Services.Tests.Fixtures;
using FluentAssertions.Execution;
using Xunit.Abstractions;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// Issue 13's soak, a benchmark rather than a test (<see cref="SoakFactAttribute"/>: only with CASCADE_SOAK=1): one
/// gate, one classifier and one orchestrator on PostgreSQL as separate processes on the fault tests' stack
/// (<see cref="FaultStack"/>). First the maximum throughput over RabbitMQ (closed loops, alternating with the
/// in-process cascade in this process so the ratio compares one machine state), then half of it as an open loop of
/// plain-AMQP submissions for CASCADE_SOAK_MINUTES (10), sampling every process's and container's memory and CPU every 10 s
/// (<see cref="ResourceSampler"/>).
/// It writes <see cref="SoakReport"/> to CASCADE_SOAK_REPORT (and the test output), and fails only on the soak's own
/// criteria (a submission lost or answered twice, a process's memory not flat); a throughput or latency target
/// missed is reported as such, as <c>cascade bench</c> does.
/// </summary>
public sealed class SoakRun(ITestOutputHelper output)
{
    /// <summary>As in <c>cascade bench</c>'s closed loops, so the maximum compares with its numbers.</summary>
    private const int InFlight = 64;
    private const int Rounds = 2;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    [SoakFact]
    public async Task Half_the_maximum_throughput_over_RabbitMQ_with_PostgreSQL_loses_nothing_and_keeps_memory_flat()
    {
        var settings = SoakSettings.FromEnvironment();
        var machine = MachineConditions.Now();
        Directory.CreateDirectory(Path.GetDirectoryName(settings.ReportPath)!);
        Progress(settings, $"soak: {machine}, load average {machine.LoadAverageAtStart:0.0}; report to {settings.ReportPath}");
        using var limit = new CancellationTokenSource(settings.HalfLoad + TimeSpan.FromMinutes(20));
        var images = EndToEndLoad.LoadMix(SharedAssets.Data, settings.PassImages);
        var runId = Guid.NewGuid().ToString("n")[..8];

        await using var stack = await FaultStack.StartAsync("soak");
        try
        {
            var processes = await stack.StartAsync(FaultStack.OneOfEach);
            await stack.WarmUpAsync($"soak-{runId}", limit.Token);
            Progress(settings, "soak: stack ready and warmed up");

            var (inProcess, overRabbitMq) = await MaximumThroughputAsync(settings, stack, images, runId, limit.Token);
            var rate = ThroughputPass.PerSecondOf(overRabbitMq) / 2;
            Progress(settings, $"soak: maximum over RabbitMQ {rate * 2:0.0}/s, in-process {ThroughputPass.PerSecondOf(inProcess):0.0}/s; half load {rate:0.0}/s for {settings.HalfLoad}");

            var containers = new List<(string, string)> { ("rabbitmq (container)", stack.Broker.Container.Id) };
            if (stack.Database.ContainerId is { } database) containers.Add(("postgresql (container)", database));
            var publishedPorts = new List<(string, int)> { ("rabbitmq", stack.BrokerPort) };
            if (stack.Database.ContainerId is not null) publishedPorts.Add(("postgresql", new Npgsql.NpgsqlConnectionStringBuilder(stack.DatabaseConnectionString).Port));
            var sampler = ResourceSampler.Start(processes, containers, publishedPorts, SampleEvery, settings.SamplesPath);
            AmqpLoadReport halfLoad;
            IReadOnlyList<ResourceSample> samples;
            await using (sampler)
            {
                await using var client = new AmqpLoadClient(FaultStack.BrokerHost, stack.BrokerPort, "soak.replies");
                var count = (int)(rate * settings.HalfLoad.TotalSeconds);
                var submissions = Enumerable.Range(0, count).Select(i => new AmqpSubmission($"soak-{runId}-{i:D6}", images[i % images.Count])).ToList();
                halfLoad = await client.RunAsync(submissions, rate, FaultStack.AnswerWithin, limit.Token);
                samples = await sampler.StopAsync();
            }

            var report = new SoakReport
            {
                Command = Command(settings),
                Settings = settings,
                Machine = machine,
                Stack = "gate, classifier and orchestrator as separate processes (Release builds, one ONNX Runtime thread each; " +
                    $"orchestrator store PostgreSQL, stage timeout {FaultStack.StageTimeout.TotalSeconds:0} s), RabbitMQ ({OwnedContainers.RabbitMqImage}) " +
                    $"and PostgreSQL ({OwnedContainers.PostgresImage}) in containers; the in-process cascade runs in the test process (ONNX Runtime on both cores) and is idle during the services' passes.",
                InFlight = InFlight,
                InProcess = inProcess,
                OverRabbitMq = overRabbitMq,
                HalfLoadPerSecond = rate,
                HalfLoad = halfLoad,
                Services = processes.Select(p => p.Name).ToList(),
                Samples = samples,
            };
            var markdown = report.ToMarkdown();
            await File.WriteAllTextAsync(settings.ReportPath, markdown);
            output.WriteLine(markdown);
            output.WriteLine(halfLoad.ToString());
            Progress(settings, $"soak: done; report in {settings.ReportPath}");

            using (new AssertionScope())
            {
                processes.Where(p => p.HasExited).Select(p => p.Name).Should().BeEmpty("no service may die during the soak");
                halfLoad.NeverAnswered.Should().BeEmpty("the soak loses nothing");
                halfLoad.Duplicates.Should().BeEmpty("every submission gets exactly one final result");
                report.Memory.Where(m => report.Services.Contains(m.Name) && !m.Flat).Select(m => $"{m.Name}: {m.AtWarmUpEnd:0} MiB at warm-up end, {m.MinAfterWarmUp:0}-{m.MaxAfterWarmUp:0} after")
                    .Should().BeEmpty("every process's RSS stays within 10% after the warm-up");
            }
        }
        catch (Exception e)
        {
            stack.KeepLogs();
            Progress(settings, $"soak: failed: {e.Message}\nlogs in {stack.Logs}");
            throw;
        }
    }

    /// <summary>
    /// A warm-up pass of each, then <see cref="Rounds"/> rounds of an in-process pass and a RabbitMQ pass: on this
    /// shared machine the speed drifts by 20% within a minute, and alternating passes see the same drift (as in
    /// <c>cascade bench --end-to-end</c>).
    /// </summary>
    private static async Task<(List<ThroughputPass> InProcess, List<ThroughputPass> OverRabbitMq)> MaximumThroughputAsync(
        SoakSettings settings, FaultStack stack, IReadOnlyList<byte[]> images, string runId, CancellationToken cancellationToken)
    {
        var (inProcess, overRabbitMq) = (new List<ThroughputPass>(), new List<ThroughputPass>());
        await using var pipeline = SharedAssets.Store().CreatePipeline(GateOptions.DefaultPack, ClassifierOptions.DefaultPack);
        for (var round = 0; round <= Rounds; round++)
        {
            var name = round == 0 ? "warm-up" : $"round {round}";
            var cascade = ThroughputPass.From($"in-process cascade, {name}", await InProcessCascadeLoad.RunAsync(pipeline, images, InFlight, cancellationToken));
            var services = await ClosedLoopAsync(stack, images, $"soak-{runId}-max-{round}", $"services over RabbitMQ, {name}", cancellationToken);
            Progress(settings, $"soak: {cascade.Name} {cascade.PerSecond:0.0}/s; {services.Name} {services.PerSecond:0.0}/s (p99 {services.P99Ms:0} ms)");
            if (round == 0) continue;
            inProcess.Add(cascade);
            overRabbitMq.Add(services);
        }
        return (inProcess, overRabbitMq);
    }

    private static async Task<ThroughputPass> ClosedLoopAsync(FaultStack stack, IReadOnlyList<byte[]> images, string idPrefix, string name, CancellationToken cancellationToken)
    {
        await using var client = new AmqpLoadClient(FaultStack.BrokerHost, stack.BrokerPort, $"soak.{idPrefix}");
        var submissions = images.Select((image, i) => new AmqpSubmission($"{idPrefix}-{i:D4}", image)).ToList();
        var report = await client.RunClosedLoopAsync(submissions, InFlight, FaultStack.AnswerWithin, cancellationToken);
        if (report.NeverAnswered.Count > 0)
            throw new InvalidOperationException($"{name}: the services did not answer every submission of a throughput pass:\n{report}");
        return ThroughputPass.From(name, report);
    }

    /// <summary>The command that reproduces this run, with its settings.</summary>
    private static string Command(SoakSettings settings) =>
        $"CASCADE_SOAK=1 CASCADE_SOAK_MINUTES={settings.HalfLoad.TotalMinutes:0.##} CASCADE_SOAK_WARMUP_MINUTES={settings.WarmUp.TotalMinutes:0.##} CASCADE_SOAK_PASS_IMAGES={settings.PassImages} " +
        "dotnet test tests/Cascade.Services.Tests -c Release --filter FullyQualifiedName~SoakRun --logger \"console;verbosity=detailed\"";

    /// <summary>A line on stderr and in a log beside the report: the test output only shows once the run is over.</summary>
    private static void Progress(SoakSettings settings, string line)
    {
        var stamped = $"{DateTime.UtcNow:HH:mm:ss} {line}";
        OwnedContainers.Report(stamped);
        File.AppendAllText(Path.ChangeExtension(settings.ReportPath, ".log"), stamped + "\n");
    }
}
