using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The containers the test fixtures start, for where Ryuk cannot run (TESTCONTAINERS_RYUK_DISABLED=true): each is
/// labelled with this process's id and removed when the process exits, and containers left by test processes that
/// no longer run (killed runs) are removed before the first one starts. The images come from
/// <c>CASCADE_RABBITMQ_IMAGE</c> and <c>CASCADE_POSTGRES_IMAGE</c> (Docker Hub's by default; test.sh sets the ones
/// scripts/images.sh builds).
/// </summary>
public static class OwnedContainers
{
    private const string OwnerLabel = "cascade.test.owner-pid";
    private static readonly Lazy<Task> Sweep = new(RemoveContainersOfEndedRunsAsync);

    public static string RabbitMqImage => Environment.GetEnvironmentVariable("CASCADE_RABBITMQ_IMAGE") ?? "rabbitmq:3-management";
    public static string PostgresImage => Environment.GetEnvironmentVariable("CASCADE_POSTGRES_IMAGE") ?? "postgres:16";

    public static bool DockerAnswers()
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

    /// <summary>A started RabbitMQ container (guest/guest), on a random host port or the given one, with the time it took.</summary>
    public static Task<(RabbitMqContainer Container, TimeSpan Startup)> StartRabbitMqAsync(int? hostPort = null)
    {
        var builder = new RabbitMqBuilder(RabbitMqImage).WithUsername("guest").WithPassword("guest").WithLabel(OwnerLabel, Environment.ProcessId.ToString());
        if (hostPort is { } port) builder = builder.WithPortBinding(port, RabbitMqBuilder.RabbitMqPort);
        return StartAsync(builder.Build());
    }

    /// <summary>A started PostgreSQL container, with the time it took.</summary>
    public static Task<(PostgreSqlContainer Container, TimeSpan Startup)> StartPostgreSqlAsync() =>
        StartAsync(new PostgreSqlBuilder(PostgresImage).WithLabel(OwnerLabel, Environment.ProcessId.ToString()).Build());

    private static async Task<(T, TimeSpan)> StartAsync<T>(T container) where T : IContainer
    {
        await Sweep.Value;
        var watch = Stopwatch.StartNew();
        // Registered before the start, so a container whose start fails half-way is removed too.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        await container.StartAsync();
        return (container, watch.Elapsed);
    }

    private static async Task RemoveContainersOfEndedRunsAsync()
    {
        var (_, listing) = await RunAsync(["docker", "ps", "-a", "--filter", $"label={OwnerLabel}", "--format", $"{{{{.ID}}}} {{{{.Label \"{OwnerLabel}\"}}}} {{{{.Image}}}}"], output: true);
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (id, owner, image) = line.Split(' ') is [var i, var o, var m] ? (i, int.Parse(o), m) : throw new FormatException(line);
            if (ProcessRuns(owner)) continue;
            Report($"removing container {id} ({image}) left by ended test process {owner}");
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

    /// <summary>Runs a command on this machine: its exit code and its stderr (or stdout when <paramref name="output"/>).</summary>
    public static async Task<(int ExitCode, string Text)> RunAsync(string[] command, bool output = false)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output ? await stdout : await stderr);
    }

    /// <summary>Fixture news (which broker or database a run uses) on stderr, where the test logger shows it.</summary>
    public static void Report(string message) => Console.Error.WriteLine(message);
}
