using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using Testcontainers.RabbitMq;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The RabbitMQ that every broker-backed test uses, started once per test run. With a Docker engine: a
/// Testcontainers container of <c>CASCADE_RABBITMQ_IMAGE</c> (default Docker Hub's <c>rabbitmq:3-management</c>;
/// test.sh sets the image scripts/images.sh builds). Without one, or when <c>CASCADE_TEST_RABBITMQ</c> (host:port)
/// is set: that broker, default 127.0.0.1:5672 (what scripts/install-test-deps.sh starts), administered with the
/// local rabbitmqctl. Which one was used is printed once.
/// Where Ryuk cannot run (TESTCONTAINERS_RYUK_DISABLED=true) the container is labelled with this process's id,
/// removed when the process exits, and containers left by test processes that no longer run are removed at start.
/// </summary>
public sealed class TestBroker
{
    private const string OwnerLabel = "cascade.test.owner-pid";
    private static readonly Lazy<Task<TestBroker>> Shared = new(StartAsync);
    private readonly RabbitMqContainer? _container;

    private TestBroker(string host, int port, RabbitMqContainer? container)
    {
        (Host, Port, _container) = (host, port, container);
    }

    public static Task<TestBroker> Instance => Shared.Value;

    public string Host { get; }
    public int Port { get; }

    /// <summary>Runs <c>rabbitmqctl -q ARGS</c> where the broker runs: in its container, or on this machine.</summary>
    public async Task CtlAsync(params string[] args)
    {
        string[] command = ["rabbitmqctl", "-q", .. args];
        var (exitCode, error) = _container is not null ? await ExecInContainerAsync(command) : await RunAsync(command);
        if (exitCode != 0) throw new InvalidOperationException($"{string.Join(' ', command)} failed: {error}");
    }

    private async Task<(int, string)> ExecInContainerAsync(string[] command)
    {
        var result = await _container!.ExecAsync(command);
        return ((int)(result.ExitCode ?? -1), result.Stderr);
    }

    private static async Task<TestBroker> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable("CASCADE_TEST_RABBITMQ");
        if (given is null && DockerAnswers()) return await StartContainerAsync();
        var (host, port) = given?.Split(':') is [var h, var p] ? (h, int.Parse(p)) : ("127.0.0.1", 5672);
        Report($"RabbitMQ for the tests: the broker at {host}:{port} ({(given is null ? "no Docker engine answered" : "CASCADE_TEST_RABBITMQ")})");
        return new TestBroker(host, port, null);
    }

    private static async Task<TestBroker> StartContainerAsync()
    {
        await RemoveContainersOfEndedRunsAsync();
        var image = Environment.GetEnvironmentVariable("CASCADE_RABBITMQ_IMAGE") ?? "rabbitmq:3-management";
        var container = new RabbitMqBuilder(image)
            .WithUsername("guest")
            .WithPassword("guest")
            .WithLabel(OwnerLabel, Environment.ProcessId.ToString())
            .Build();
        var watch = Stopwatch.StartNew();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var port = container.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort);
        Report($"RabbitMQ for the tests: Testcontainers container {container.Name} of {image} on {container.Hostname}:{port}, ready in {watch.Elapsed.TotalSeconds:0.0} s");
        return new TestBroker(container.Hostname, port, container);
    }

    private static bool DockerAnswers()
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
        catch (DockerUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Removes broker containers whose test process has ended (killed runs leave them behind without Ryuk).</summary>
    private static async Task RemoveContainersOfEndedRunsAsync()
    {
        var (_, listing) = await RunAsync(["docker", "ps", "-a", "--filter", $"label={OwnerLabel}", "--format", $"{{{{.ID}}}} {{{{.Label \"{OwnerLabel}\"}}}}"], output: true);
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (id, owner) = line.Split(' ') is [var i, var o] ? (i, int.Parse(o)) : throw new FormatException(line);
            if (ProcessRuns(owner)) continue;
            Report($"removing RabbitMQ container {id} left by ended test process {owner}");
            await RunAsync(["docker", "rm", "-f", "-v", id]);
        }
    }

    private static bool ProcessRuns(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Text)> RunAsync(string[] command, bool output = false)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output ? await stdout : await stderr);
    }

    private static void Report(string message) => Console.Error.WriteLine(message);
}
