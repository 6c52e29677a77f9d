using System.Diagnostics;
using System.Globalization;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// Samples the soak's services (VmRSS and CPU from /proc, managed heap and GC pauses from their /metrics), its
/// containers (<c>docker stats</c>) and the docker-proxy processes in front of their published ports (CPU), this test
/// process (the load client) and the whole machine every
/// <c>interval</c> from <see cref="Start"/> until <see cref="StopAsync"/>. Each sample is appended to a CSV file as it
/// is taken, so a long run can be watched while it goes.
/// </summary>
public sealed class ResourceSampler : IAsyncDisposable
{
    public const string LoadClient = "load client (test process)";

    private readonly IReadOnlyList<ServiceProcess> _services;
    private readonly IReadOnlyList<(string Name, string ContainerId)> _containers;
    // Processes whose memory and CPU are read from /proc (the services and the load client), and those whose CPU only.
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly IReadOnlyList<(string Name, IReadOnlyList<int> Pids)> _proxies;
    private readonly string _csvPath;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<ResourceSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    // The previous tick's cumulative counters, for the interval's CPU and GC pauses.
    private Dictionary<string, double> _cpuSeconds = [];
    private Dictionary<string, double> _pauseMs = [];
    private (double Busy, double Stolen) _machine;
    private TimeSpan _previousAt;

    private ResourceSampler(IReadOnlyList<ServiceProcess> services, IReadOnlyList<(string, string)> containers, IReadOnlyList<(string Name, int HostPort)> publishedPorts,
        TimeSpan interval, string csvPath)
    {
        (_services, _containers, _csvPath) = (services, containers, csvPath);
        _processes = [.. services.Select(s => (s.Name, s.Id)), (LoadClient, Environment.ProcessId)];
        _proxies = publishedPorts.Select(p => ($"docker-proxy ({p.Name})", ProcFs.DockerProxies(p.HostPort))).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(csvPath)!);
        File.WriteAllText(csvPath, string.Join(',', ["seconds", .. Names.Select(n => $"{n} MiB"), .. CpuNames.Select(n => $"{n} cores"),
            .. _services.Select(s => $"{s.Name} heap MiB"), .. _services.Select(s => $"{s.Name} GC pause ms"), "machine busy cores", "machine stolen cores", "load average"]) + "\n");
        _loop = RunAsync(interval);
    }

    /// <summary>Every name with memory (and CPU): the services, the containers, then the load client.</summary>
    public IReadOnlyList<string> Names => [.. _services.Select(s => s.Name), .. _containers.Select(c => c.Name), LoadClient];

    /// <summary>Every name with CPU: those with memory, and the docker-proxy processes.</summary>
    public IReadOnlyList<string> CpuNames => [.. Names, .. _proxies.Select(p => p.Name)];

    /// <param name="publishedPorts">The containers' ports published on this machine that the stack uses, by what they lead to.</param>
    public static ResourceSampler Start(IReadOnlyList<ServiceProcess> services, IReadOnlyList<(string Name, string ContainerId)> containers,
        IReadOnlyList<(string Name, int HostPort)> publishedPorts, TimeSpan interval, string csvPath) =>
        new(services, containers, publishedPorts, interval, csvPath);

    /// <summary>Takes one last sample and returns them all.</summary>
    public async Task<IReadOnlyList<ResourceSample>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return _samples;
    }

    private async Task RunAsync(TimeSpan interval)
    {
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(interval);
        while (true)
        {
            await SampleAsync(watch.Elapsed);
            try
            {
                await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                await SampleAsync(watch.Elapsed);
                return;
            }
        }
    }

    private async Task SampleAsync(TimeSpan at)
    {
        var containers = DockerStats.SampleAsync(_containers);
        var scrapes = _services.Select(s => RuntimeMetrics.ScrapeAsync(_http, s.HttpPort)).ToList();
        var cpuSeconds = _processes.ToDictionary(p => p.Name, p => ProcFs.CpuSeconds(p.Pid));
        foreach (var (name, pids) in _proxies) cpuSeconds[name] = pids.Sum(ProcFs.CpuSeconds);
        var machine = ProcFs.MachineCpuSeconds();
        var seconds = (at - _previousAt).TotalSeconds;
        double Interval(double now, double before) => _samples.Count == 0 ? double.NaN : (now - before) / seconds;

        var mib = _processes.ToDictionary(p => p.Name, p => ProcFs.ResidentMiB(p.Pid));
        var cores = cpuSeconds.ToDictionary(c => c.Key, c => Interval(c.Value, _cpuSeconds.GetValueOrDefault(c.Key, double.NaN)));
        foreach (var (name, (containerMiB, containerCores)) in await containers) (mib[name], cores[name]) = (containerMiB, containerCores);
        var scraped = (await Task.WhenAll(scrapes)).Zip(_services, (m, s) => (s.Name, m.HeapMiB, m.PauseMs)).ToList();
        var pauseMs = scraped.ToDictionary(s => s.Name, s => s.PauseMs);

        var sample = new ResourceSample(at, mib, cores,
            scraped.ToDictionary(s => s.Name, s => s.HeapMiB),
            pauseMs.ToDictionary(p => p.Key, p => _samples.Count == 0 ? double.NaN : p.Value - _pauseMs.GetValueOrDefault(p.Key, double.NaN)),
            Interval(machine.Busy, _machine.Busy), Interval(machine.Stolen, _machine.Stolen), ProcFs.LoadAverage());
        (_cpuSeconds, _pauseMs, _machine, _previousAt) = (cpuSeconds, pauseMs, machine, at);
        _samples.Add(sample);
        await File.AppendAllTextAsync(_csvPath, string.Join(',', [Format(at.TotalSeconds), .. Names.Select(n => Format(mib[n])), .. CpuNames.Select(n => Format(cores[n], "0.00")),
            .. _services.Select(s => Format(sample.ManagedHeapMiB[s.Name])), .. _services.Select(s => Format(sample.GcPauseMs[s.Name])),
            Format(sample.MachineBusyCores, "0.00"), Format(sample.MachineStolenCores, "0.00"), Format(sample.LoadAverage)]) + "\n");
    }

    private static string Format(double value, string format = "0.0") => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }
}
