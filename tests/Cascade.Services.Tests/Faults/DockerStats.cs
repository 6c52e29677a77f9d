using System.Globalization;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.Faults;

/// <summary><c>docker stats --no-stream</c> for a few containers (about a second a call): memory and CPU as docker counts them.</summary>
public static class DockerStats
{
    /// <summary>Memory in MiB and CPU in cores by name; NaN for a container docker did not report.</summary>
    public static async Task<IReadOnlyDictionary<string, (double MiB, double Cores)>> SampleAsync(IReadOnlyList<(string Name, string ContainerId)> containers)
    {
        var result = containers.ToDictionary(c => c.Name, _ => (double.NaN, double.NaN));
        if (containers.Count == 0) return result;
        var (exitCode, text) = await OwnedContainers.RunAsync(["docker", "stats", "--no-stream", "--format", "{{.ID}}\t{{.MemUsage}}\t{{.CPUPerc}}", .. containers.Select(c => c.ContainerId)], output: true);
        if (exitCode != 0) return result;
        // "2eea021c7269\t123.4MiB / 23.47GiB\t12.34%": the short id, the usage before the limit, the CPU share of one core.
        foreach (var fields in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(f => f.Length == 3))
        {
            var container = containers.FirstOrDefault(c => c.ContainerId.StartsWith(fields[0], StringComparison.Ordinal));
            if (container.Name is null) continue;
            var cores = double.TryParse(fields[2].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) ? percent / 100 : double.NaN;
            result[container.Name] = (MiB(fields[1].Split('/')[0].Trim()), cores);
        }
        return result;
    }

    /// <summary>docker's binary sizes: "512B", "1.5KiB", "123.4MiB", "2.1GiB".</summary>
    private static double MiB(string size)
    {
        var unit = size.TrimStart("0123456789.".ToCharArray());
        if (!double.TryParse(size[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return double.NaN;
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
}
