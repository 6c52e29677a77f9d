using System.Globalization;
using System.Runtime.InteropServices;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// What the soak ran on, for its report: the machines of this kind differ in CPU (with or without AVX-512 VNNI,
/// which decides the int8 gate's kernels) and are shared, so the load average says how quiet the run was.
/// </summary>
public sealed record MachineConditions(DateTime StartedUtc, int Cores, string Cpu, bool Vnni, string Os, double LoadAverageAtStart)
{
    public static MachineConditions Now()
    {
        var cpuInfo = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "";
        var model = cpuInfo.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        return new MachineConditions(DateTime.UtcNow, Environment.ProcessorCount, model, cpuInfo.Contains("avx512_vnni", StringComparison.Ordinal), RuntimeInformation.OSDescription, load);
    }

    public override string ToString() =>
        $"{Cores} cores ({Cpu}, {(Vnni ? "with" : "without")} AVX-512 VNNI), {Os}, {StartedUtc:yyyy-MM-dd HH:mm} UTC";
}
