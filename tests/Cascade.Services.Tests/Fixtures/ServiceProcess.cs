using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// One Cascade service as a separate OS process (<c>dotnet Cascade.X.dll</c> from its build folder), configured by
/// environment variables, with its stdout and stderr in a log file. <see cref="Kill"/> is kill -9. Every process
/// still running when the test process exits is killed then, so a failed or aborted test leaves none behind.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ServiceProcess, byte> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;
    private bool _killed;

    static ServiceProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys) process.Kill();
    };

    private ServiceProcess(string name, string logPath, int httpPort, Process process, StreamWriter log)
    {
        (Name, LogPath, HttpPort, _process, _log) = (name, logPath, httpPort, process, log);
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public string Name { get; }
    public string LogPath { get; }
    public int HttpPort { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>The exit code of a process that ended by itself (not killed by the test), else null.</summary>
    public int? ExitedByItself => !_killed && _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts <paramref name="dll"/> with its folder as working directory (for its appsettings.json), on fresh loopback ports.</summary>
    public static ServiceProcess Start(string name, string dll, string logDirectory, IReadOnlyDictionary<string, string> settings)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name}: {dll} is not built (dotnet build -c Release builds the services with the tests).", dll);
        var httpPort = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Grpc__Port"] = LoopbackPorts.Free().ToString();
        foreach (var (key, value) in settings) start.Environment[key] = value;

        // A restarted service appends to the same log, so one file tells its whole story.
        var logPath = Path.Combine(logDirectory, $"{name}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"--- {DateTime.UtcNow:HH:mm:ss.fff} start {dll} on http port {httpPort}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: dotnet {dll} did not start.");
        var service = new ServiceProcess(name, logPath, httpPort, process, log);
        Running[service] = 0;
        return service;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails at once with the log's tail when the process exits.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        string last = "no answer";
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready.\n{Tail()}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s (last /health/ready: {last}).\n{Tail()}");
    }

    /// <summary>kill -9: no shutdown, no acks, no flushing.</summary>
    public void Kill()
    {
        try
        {
            if (_killed || _process.HasExited) return;
            _killed = true;
            _process.Kill(entireProcessTree: false);
            lock (_log) _log.WriteLine($"--- {DateTime.UtcNow:HH:mm:ss.fff} killed (SIGKILL)");
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>The last lines of the process's log (each cut at 400 characters: JSON logs), headed by its name and path.</summary>
    public string Tail(int lines = 20)
    {
        string[] all;
        using (var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
            all = reader.ReadToEnd().Split('\n');
        return $"==> {Name} ({LogPath}), last {lines} lines:\n{string.Join('\n', all.TakeLast(lines).Select(l => l.Length <= 400 ? l : l[..400] + "..."))}";
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        await _pumps;
        Running.TryRemove(this, out _);
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log) _log.WriteLine(line);
        }
    }
}
