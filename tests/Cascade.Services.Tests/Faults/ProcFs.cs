using System.Globalization;

namespace Cascade.Services.Tests.Faults;

/// <summary>What the soak reads from Linux's /proc: a process's resident memory and CPU time, the machine's CPU time and load.</summary>
public static class ProcFs
{
    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux this runs on (it is fixed by the kernel's ABI, not by CONFIG_HZ).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>VmRSS in MiB; NaN once the process has exited.</summary>
    public static double ResidentMiB(int pid)
    {
        var line = Lines($"/proc/{pid}/status")?.FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        // "VmRSS:    123456 kB"
        return line is null ? double.NaN : Number(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    /// <summary>User + system CPU seconds the process has used; NaN once it has exited.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = Lines($"/proc/{pid}/stat")?.FirstOrDefault();
        if (stat is null) return double.NaN;
        // "PID (comm) S ppid ...": comm may hold spaces, so count from its closing parenthesis; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds the whole machine has spent, summed over its cores: busy (every state but idle, iowait and
    /// steal) and stolen (by the hypervisor, for other machines on the same host).
    /// </summary>
    public static (double Busy, double Stolen) MachineCpuSeconds()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(Number).ToArray();
        return ((fields.Sum() - fields[3] - fields[4] - fields[7]) / TicksPerSecond, fields[7] / TicksPerSecond);
    }

    /// <summary>
    /// The docker-proxy processes that forward <paramref name="hostPort"/> to a container (one per address family):
    /// traffic to a published port passes through them, so they are part of what the stack costs here.
    /// </summary>
    public static IReadOnlyList<int> DockerProxies(int hostPort)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                // NUL-separated: "/usr/sbin/docker-proxy\0-proto\0tcp\0-host-ip\00.0.0.0\0-host-port\032781\0..."
                var args = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (args[0].EndsWith("docker-proxy", StringComparison.Ordinal) && args.SkipWhile(a => a != "-host-port").Skip(1).FirstOrDefault() == hostPort.ToString(CultureInfo.InvariantCulture))
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited meanwhile.
            }
        }
        return pids;
    }

    public static double LoadAverage() => Number(File.ReadAllText("/proc/loadavg").Split(' ')[0]);

    private static string[]? Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process has exited
        }
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
