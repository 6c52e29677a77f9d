using System.Diagnostics;
using Cascade.LoadGenerator;
using Cascade.Services.Tests.Fixtures;
using FluentAssertions.Execution;
using Xunit.Abstractions;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// Issue 13's fault tests: the services as separate processes on a RabbitMQ and a PostgreSQL database of their own
/// (<see cref="FaultStack"/>), under a steady load of plain-AMQP submissions from a client that reconnects and
/// republishes (<see cref="AmqpLoadClient"/>), with one fault a third of the way in. Every run must answer every
/// submission exactly once; only the broker restart may time submissions out.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int Submissions = 300;
    private const double PerSecond = 20;
    private const int FaultAfter = Submissions / 3;
    private static readonly TimeSpan ScenarioLimit = TimeSpan.FromMinutes(3);
    // 30% bears, the same mix as the end-to-end load tests.
    private static readonly Lazy<IReadOnlyList<byte[]>> Photos = new(() => EndToEndLoad.LoadMix(SharedAssets.Data, Submissions));
    private static readonly CascadeService[] OneOfEach = FaultStack.OneOfEach;
    private static readonly CascadeService[] TwoClassifiers = [.. OneOfEach, CascadeService.Classifier];
    private static readonly CascadeService[] TwoOrchestrators = [.. OneOfEach, CascadeService.Orchestrator];

    [Fact]
    public Task A_classifier_killed_while_another_runs_loses_nothing() =>
        RunAsync("classifier-killed", TwoClassifiers, mayTimeOut: false, Kill("classifier-1", survivor: "classifier-2"));

    [Fact]
    public Task The_gate_killed_and_restarted_within_the_stage_timeout_loses_nothing() =>
        RunAsync("gate-restarted", OneOfEach, mayTimeOut: false,
            // Back within the stage timeout, or timeouts would be the test's doing, not the system's.
            KillAndRestart("gate-1", CascadeService.Gate, backWithin: FaultStack.StageTimeout));

    [Fact]
    public Task A_broker_restart_loses_nothing() =>
        RunAsync("broker-restarted", OneOfEach, mayTimeOut: true,
            async (stack, _) =>
            {
                var down = Stopwatch.StartNew();
                await stack.Broker.CtlAsync("stop_app");
                await Task.Delay(TimeSpan.FromSeconds(2));
                await stack.Broker.CtlAsync("start_app");
                return $"rabbitmqctl stop_app; start_app: broker back after {down.Elapsed.TotalSeconds:0.0} s";
            });

    /// <summary>
    /// The broker drops the orchestrator's connection and its consumers, and the orchestrator never hears (a half-open
    /// connection; the CI run's stuck endpoints looked the same): its consumer watchdog must stop it, its supervisor
    /// start it again, and the new process answer everything. The stale process still times submissions out while
    /// the watchdog waits, so timeouts are allowed; losses and duplicates are not.
    /// </summary>
    [Fact]
    public Task An_orchestrator_whose_connection_is_left_half_open_stops_itself_and_loses_nothing() =>
        RunAsync("orchestrator-half-open", OneOfEach, mayTimeOut: true, (stack, _) =>
        {
            stack.LeaveProxiedConnectionsHalfOpen();
            return Task.FromResult("the orchestrator's broker connections left half open (closed on the broker's side only)");
        }, proxied: CascadeService.Orchestrator, mustRestart: "orchestrator-1 (exit code 75)");

    [Fact]
    public Task One_of_two_orchestrators_killed_loses_nothing() =>
        RunAsync("orchestrator-killed", TwoOrchestrators, mayTimeOut: false, Kill("orchestrator-1", survivor: "orchestrator-2"));

    [Fact]
    public Task The_only_orchestrator_killed_and_restarted_loses_nothing() =>
        RunAsync("orchestrator-restarted", OneOfEach, mayTimeOut: false,
            KillAndRestart("orchestrator-1", CascadeService.Orchestrator, backWithin: null));

    private static Func<FaultStack, IReadOnlyList<ServiceProcess>, Task<string>> Kill(string name, string survivor) => (_, processes) =>
    {
        processes.Single(p => p.Name == name).Kill();
        return Task.FromResult($"kill -9 {name} ({survivor} runs on)");
    };

    private static Func<FaultStack, IReadOnlyList<ServiceProcess>, Task<string>> KillAndRestart(string name, CascadeService service, TimeSpan? backWithin) => async (stack, processes) =>
    {
        var down = Stopwatch.StartNew();
        var process = processes.Single(p => p.Name == name);
        process.Kill();
        await stack.RestartAsync(process, service);
        if (backWithin is { } limit)
            down.Elapsed.Should().BeLessThan(limit, $"{name} must be ready again within {limit.TotalSeconds:0} s for this scenario to test what it says");
        return $"kill -9 {name}, restarted and ready after {down.Elapsed.TotalSeconds:0.0} s";
    };

    /// <summary>
    /// Starts the stack and the services, runs the load, applies <paramref name="fault"/> (which says what it did)
    /// once a third of the submissions are out, and checks the report. A failure carries the report and the
    /// end of every process's log.
    /// </summary>
    /// <param name="proxied">A service whose processes reach the broker through the stack's half-open proxy.</param>
    /// <param name="mustRestart">A process that must have exited by itself and been started again, as the stack's restarts name it.</param>
    private async Task RunAsync(string scenario, CascadeService[] services, bool mayTimeOut, Func<FaultStack, IReadOnlyList<ServiceProcess>, Task<string>> fault,
        CascadeService? proxied = null, string? mustRestart = null)
    {
        using var limit = new CancellationTokenSource(ScenarioLimit);
        var watch = Stopwatch.StartNew();
        await using var stack = await FaultStack.StartAsync(scenario);
        if (proxied is { } service) stack.RouteThroughProxy(service);
        AmqpLoadReport? report = null;
        try
        {
            var processes = await stack.StartAsync(services);
            output.WriteLine($"{scenario}: broker, database and {services.Length} services ready in {watch.Elapsed.TotalSeconds:0.0} s");
            var runId = Guid.NewGuid().ToString("n")[..8];
            await stack.WarmUpAsync($"{scenario}-{runId}", limit.Token);
            output.WriteLine($"{scenario}: warmed up at {watch.Elapsed.TotalSeconds:0.0} s");
            await using var client = new AmqpLoadClient(FaultStack.BrokerHost, stack.BrokerPort, $"faults.{scenario}.replies");
            var submissions = Photos.Value.Select((photo, i) => new AmqpSubmission($"{scenario}-{runId}-{i:D3}", photo)).ToList();
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
            var load = client.RunAsync(submissions, PerSecond, FaultStack.AnswerWithin, stopLoad.Token);
            try
            {
                await client.WhenPublished(FaultAfter, load);
                output.WriteLine($"{scenario}: after {FaultAfter} submissions: {await fault(stack, processes)}");
                report = await load;
            }
            finally
            {
                // A fault that failed leaves the load running: stop it before its client goes.
                await stopLoad.CancelAsync();
                await load.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            output.WriteLine($"{scenario} ({watch.Elapsed.TotalSeconds:0} s in all):\n{report}");
            if (stack.SupervisorRestarts.Count > 0) output.WriteLine($"{scenario}: exited by themselves and started again: {string.Join(", ", stack.SupervisorRestarts)}");

            using (new AssertionScope())
            {
                report.NeverAnswered.Should().BeEmpty("every submission gets a final result");
                report.Duplicates.Should().BeEmpty("every submission gets exactly one final result");
                report.Unexpected.Should().BeEmpty("the reply queue only carries results for this run's submissions");
                if (mustRestart is not null) stack.SupervisorRestarts.Should().Contain(mustRestart);
                if (!mayTimeOut)
                {
                    report.TimedOut.Should().BeEmpty("this fault is survived within the stage timeout");
                    report.Failed.Should().BeEmpty("no fault here makes a stage fail");
                }
            }
        }
        catch (Exception e)
        {
            stack.KeepLogs();
            output.WriteLine($"{scenario}: failed after {watch.Elapsed.TotalSeconds:0} s; logs in {stack.Logs}");
            throw new InvalidOperationException($"{scenario}: {e.Message}\n\n{report?.ToString() ?? "(no report: the run did not finish)"}\n\n{stack.Tails()}", e);
        }
    }
}
