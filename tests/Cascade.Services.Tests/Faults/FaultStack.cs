using Cascade.LoadGenerator;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// Everything one fault scenario runs on, its own so that a fault disturbs no other test: a RabbitMQ container
/// (<see cref="ContainerBroker"/>, started while the services load their models), a fresh PostgreSQL database (<see cref="TestDatabase"/>), a claim-check folder
/// and a log folder, and the services as separate processes (<see cref="ServiceProcess"/>) from their build
/// folders. Like compose's <c>restart: unless-stopped</c>, a process that exits by itself is started again (a service
/// stops itself when it finds a consumer lost, <c>ConsumerWatchdog</c>); <see cref="SupervisorRestarts"/> says which.
/// Disposing kills every process and removes the broker and the database; the logs stay when
/// <see cref="KeepLogs"/> was called (a failed scenario).
/// </summary>
public sealed class FaultStack : IAsyncDisposable
{
    /// <summary>
    /// The orchestrators' stage timeout, set explicitly so the scenarios can time their faults against it: twice the
    /// 10 s default, as restarting a service (a new process loading its model) took 7-10 s on the shared 2-core
    /// machines, and "restarted within the stage timeout" is the condition the scenarios test.
    /// </summary>
    public static readonly TimeSpan StageTimeout = TimeSpan.FromSeconds(20);
    /// <summary>
    /// How long a load client waits for the last final results after its last (re)publish: two stages, each ended
    /// by its timeout at the latest, and some time in the front door's queue.
    /// </summary>
    public static readonly TimeSpan AnswerWithin = 2 * StageTimeout + TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConsumerCheckInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConsumerLostAfter = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan ConsumerExitAfter = TimeSpan.FromSeconds(5);
    public static readonly CascadeService[] OneOfEach = [CascadeService.Gate, CascadeService.Classifier, CascadeService.Orchestrator];
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);
    private static readonly Lazy<IReadOnlyList<byte[]>> WarmUpPhotos = new(() => EndToEndLoad.LoadMix(SharedAssets.Data, 10, seed: 5));

    private readonly List<ServiceProcess> _processes = [];
    private readonly Dictionary<ServiceProcess, CascadeService> _services = [];
    private readonly Dictionary<CascadeService, int> _started = [];
    private readonly Task<ContainerBroker> _broker;
    private readonly TestDatabase _database;
    private readonly string _directory;
    private readonly List<string> _supervisorRestarts = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervisor = Task.CompletedTask;
    private HalfOpenProxy? _proxy;
    private CascadeService? _proxied;
    private bool _keepLogs;

    private FaultStack(string scenario, Task<ContainerBroker> broker, int brokerPort, TestDatabase database, string connectionString, string directory)
    {
        (Scenario, _broker, BrokerPort, _database, DatabaseConnectionString, _directory) = (scenario, broker, brokerPort, database, connectionString, directory);
        Directory.CreateDirectory(ClaimChecks);
        Directory.CreateDirectory(Logs);
    }

    public string Scenario { get; }
    /// <summary>The PostgreSQL server the scenario's database is on.</summary>
    public TestDatabase Database => _database;
    /// <summary>The broker, once <see cref="StartAsync(CascadeService[])"/> has returned.</summary>
    public ContainerBroker Broker => _broker.IsCompletedSuccessfully ? _broker.Result : throw new InvalidOperationException("The broker has not started.");
    /// <summary>Where the services and the load client reach the broker: its container's port, published on this machine.</summary>
    public static string BrokerHost => "127.0.0.1";
    public int BrokerPort { get; }
    public string DatabaseConnectionString { get; }
    public string Logs => Path.Combine(_directory, "logs");
    /// <summary>The processes that exited by themselves and were started again, with their exit codes.</summary>
    public IReadOnlyList<string> SupervisorRestarts { get { lock (_supervisorRestarts) return [.. _supervisorRestarts]; } }
    private string ClaimChecks => Path.Combine(_directory, "claim-checks");

    /// <summary>Creates the scenario's database and starts its broker, without waiting for the broker.</summary>
    public static async Task<FaultStack> StartAsync(string scenario)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cascade-tests", "faults", $"{scenario}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("n")[..6]}");
        var database = await TestDatabase.Instance;
        var connectionString = await database.CreateDatabaseAsync($"faults_{scenario}");
        // A host port chosen here, so the services can start (and load their models) while the broker starts:
        // they connect once it is up.
        var brokerPort = LoopbackPorts.Free();
        return new FaultStack(scenario, ContainerBroker.StartAsync(brokerPort), brokerPort, database, connectionString, directory);
    }

    /// <summary>
    /// Connects every process of <paramref name="service"/> (started after this call) to the broker through a
    /// <see cref="HalfOpenProxy"/>, for <see cref="LeaveProxiedConnectionsHalfOpen"/>.
    /// </summary>
    public void RouteThroughProxy(CascadeService service)
    {
        _proxy ??= new HalfOpenProxy(BrokerHost, BrokerPort);
        _proxied = service;
    }

    /// <summary>The broker drops the proxied processes' connections (and their consumers); the processes hear nothing.</summary>
    public void LeaveProxiedConnectionsHalfOpen() =>
        (_proxy ?? throw new InvalidOperationException("No service is routed through the proxy.")).CutBrokerSide();

    /// <summary>Starts one process of each given service at once and waits until the broker and all of them are ready.</summary>
    public async Task<IReadOnlyList<ServiceProcess>> StartAsync(params CascadeService[] services)
    {
        var processes = services.Select(Start).ToList();
        await _broker;
        await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(ReadyWithin)));
        _supervisor = SuperviseAsync(_stopping.Token);
        return processes;
    }

    /// <summary>Starts again, under the same name and log, every process that exited by itself.</summary>
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var restarted = new HashSet<ServiceProcess>();
        while (!stopping.IsCancellationRequested)
        {
            KeyValuePair<ServiceProcess, CascadeService>[] current;
            lock (_processes) current = [.. _services];
            foreach (var (process, service) in current.Where(p => p.Key.ExitedByItself is not null && restarted.Add(p.Key)))
            {
                lock (_supervisorRestarts) _supervisorRestarts.Add($"{process.Name} (exit code {process.ExitedByItself})");
                Launch(service, process.Name);
            }
            try { await Task.Delay(250, stopping); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Starts the service that <paramref name="process"/> ran, under the same name and log, and waits until it is ready.</summary>
    public async Task<ServiceProcess> RestartAsync(ServiceProcess process, CascadeService service)
    {
        var again = Launch(service, process.Name);
        await again.WaitUntilReadyAsync(ReadyWithin);
        return again;
    }

    /// <summary>
    /// A few submissions answered before the load starts, on a reply queue of their own: the first inferences of a
    /// fresh process (JIT, ONNX Runtime's first allocations) are slow, and that is not what the scenarios measure.
    /// </summary>
    public async Task WarmUpAsync(string idPrefix, CancellationToken cancellationToken)
    {
        await using var client = new AmqpLoadClient(BrokerHost, BrokerPort, $"faults.{Scenario}.warm-up");
        var submissions = WarmUpPhotos.Value.Select((photo, i) => new AmqpSubmission($"{idPrefix}-warm-up-{i}", photo)).ToList();
        var report = await client.RunAsync(submissions, perSecond: 20, TimeSpan.FromSeconds(60), cancellationToken);
        if (report.NeverAnswered.Count > 0 || report.Failed.Count > 0)
            throw new InvalidOperationException($"The stack did not answer its warm-up submissions, before any fault:\n{report}");
    }

    public void KeepLogs() => _keepLogs = true;

    /// <summary>The end of every process's log, for a failure message.</summary>
    public string Tails() =>
        $"logs in {Logs}\n" + string.Join("\n", _processes.DistinctBy(p => p.Name).Select(p => p.Tail()));

    private ServiceProcess Start(CascadeService service)
    {
        var number = _started[service] = _started.GetValueOrDefault(service) + 1;
        return Launch(service, $"{service.ToString().ToLowerInvariant()}-{number}");
    }

    private ServiceProcess Launch(CascadeService service, string name)
    {
        var process = ServiceProcess.Start(name, Dll(service), Logs, Settings(service));
        lock (_processes)
        {
            _processes.Add(process);
            _services[process] = service;
        }
        return process;
    }

    private Dictionary<string, string> Settings(CascadeService service)
    {
        var settings = new Dictionary<string, string>
        {
            ["Bus__Transport"] = "RabbitMq",
            ["Bus__RabbitMq__Host"] = BrokerHost,
            ["Bus__RabbitMq__Port"] = (service == _proxied ? _proxy!.Port : BrokerPort).ToString(),
            ["Bus__MessageData__Path"] = ClaimChecks,
            ["Inference__ModelDirectory"] = SharedAssets.ModelDirectory,
            // Four services share two cores: one ONNX Runtime thread each keeps them from fighting.
            ["Inference__IntraOpThreads"] = "1",
            ["Logging__LogLevel__Default"] = "Information",
            // Not every /health/ready poll.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            // A lost consumer found and its process gone within 20 s of the fault (defaults: 15 s, every 5 s, then a
            // 10 s stop), so that the restarted process answers within the load client's AnswerWithin.
            ["Bus__ConsumerCheck__Interval"] = ConsumerCheckInterval.ToString(),
            ["Bus__ConsumerCheck__LostAfter"] = ConsumerLostAfter.ToString(),
            ["Bus__ConsumerCheck__ExitAfter"] = ConsumerExitAfter.ToString(),
        };
        if (service == CascadeService.Orchestrator)
        {
            settings["Orchestrator__StageTimeout"] = StageTimeout.ToString();
            settings["Orchestrator__Store__Provider"] = "Postgres";
            settings["ConnectionStrings__Submissions"] = DatabaseConnectionString;
        }
        return settings;
    }

    /// <summary>The service's build output for the configuration these tests were built in (bin/Release/net10.0 by test.sh).</summary>
    private static string Dll(CascadeService service)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (configuration, framework) = (testOutput.Parent!.Name, testOutput.Name);
        return Path.Combine(SharedAssets.RepoRoot, "services", service.ToString(), "bin", configuration, framework, $"Cascade.{service}.dll");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _supervisor;
        foreach (var process in _processes) process.Kill();
        foreach (var process in _processes) await process.DisposeAsync();
        if (_proxy is not null) await _proxy.DisposeAsync();
        try
        {
            await (await _broker).DisposeAsync();
        }
        catch (Exception e) when (!_broker.IsCompletedSuccessfully)
        {
            OwnedContainers.Report($"the scenario's broker did not start: {e.Message}");
        }
        try
        {
            await _database.DropDatabaseAsync(DatabaseConnectionString);
        }
        catch (Npgsql.NpgsqlException e)
        {
            OwnedContainers.Report($"could not drop the scenario's database: {e.Message}");
        }
        if (_keepLogs)
        {
            OwnedContainers.Report($"fault scenario logs kept in {Logs}");
            Directory.Delete(ClaimChecks, recursive: true);
        }
        else Directory.Delete(_directory, recursive: true);
    }
}
