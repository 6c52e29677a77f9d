using System.Globalization;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// Samples the memory of the soak's processes (VmRSS from /proc/PID/status) and containers (<c>docker stats
/// --no-stream</c>, about a second a call) every <c>interval</c> from <see cref="Start"/> until <see cref="StopAsync"/>,
/// appending each sample to a CSV file as it is taken, so a long run can be watched while it goes.
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly IReadOnlyList<(string Name, string ContainerId)> _containers;
    private readonly string _csvPath;
    private readonly List<MemorySample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private MemorySampler(IReadOnlyList<(string, int)> processes, IReadOnlyList<(string, string)> containers, TimeSpan interval, string csvPath)
    {
        (_processes, _containers, _csvPath) = (processes, containers, csvPath);
        Directory.CreateDirectory(Path.GetDirectoryName(csvPath)!);
        File.WriteAllText(csvPath, string.Join(',', ["seconds", .. Names, "load_average"]) + "\n");
        _loop = RunAsync(interval);
    }

    /// <summary>Every name sampled, processes first.</summary>
    public IReadOnlyList<string> Names => [.. _processes.Select(p => p.Name), .. _containers.Select(c => c.Name)];

    public static MemorySampler Start(IReadOnlyList<(string Name, int Pid)> processes, IReadOnlyList<(string Name, string ContainerId)> containers, TimeSpan interval, string csvPath) =>
        new(processes, containers, interval, csvPath);

    /// <summary>Takes one last sample and returns them all.</summary>
    public async Task<IReadOnlyList<MemorySample>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return _samples;
    }

    private async Task RunAsync(TimeSpan interval)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
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
        var mib = _processes.ToDictionary(p => p.Name, p => ResidentMiB(p.Pid));
        foreach (var (name, value) in await ContainerMiBAsync()) mib[name] = value;
        var sample = new MemorySample(at, mib, LoadAverage());
        _samples.Add(sample);
        await File.AppendAllTextAsync(_csvPath, string.Join(',', [Format(at.TotalSeconds), .. Names.Select(n => Format(mib[n])), Format(sample.LoadAverage)]) + "\n");
    }

    private static double ResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            // "VmRSS:    123456 kB"
            return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN; // exited
        }
    }

    private async Task<Dictionary<string, double>> ContainerMiBAsync()
    {
        var result = _containers.ToDictionary(c => c.Name, _ => double.NaN);
        if (_containers.Count == 0) return result;
        var (exitCode, text) = await Fixtures.OwnedContainers.RunAsync(["docker", "stats", "--no-stream", "--format", "{{.ID}}\t{{.MemUsage}}", .. _containers.Select(c => c.ContainerId)], output: true);
        if (exitCode != 0) return result;
        // "2eea021c7269\t123.4MiB / 23.47GiB": the short id, then the usage before the limit.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            var container = _containers.FirstOrDefault(c => c.ContainerId.StartsWith(fields[0], StringComparison.Ordinal));
            if (container.Name is not null && fields.Length == 2) result[container.Name] = ParseMiB(fields[1].Split('/')[0].Trim());
        }
        return result;
    }

    /// <summary>docker's binary sizes: "512B", "1.5KiB", "123.4MiB", "2.1GiB".</summary>
    private static double ParseMiB(string size)
    {
        var unit = size.TrimStart("0123456789.".ToCharArray());
        var number = double.Parse(size[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "B" => number / (1 << 20),
            "KiB" => number / 1024,
            "MiB" => number,
            "GiB" => number * 1024,
            "TiB" => number * 1024 * 1024,
            _ => double.NaN,
        };
    }

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string Format(double value) => double.IsNaN(value) ? "" : value.ToString("0.0", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
