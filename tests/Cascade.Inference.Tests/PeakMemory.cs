namespace Cascade.Inference.Tests;

/// <summary>
/// The most resident memory the process held while an action ran, above what it held before, native allocations
/// (libvips) included. Linux: resets the kernel's high-water mark (VmHWM) through /proc/self/clear_refs, so the
/// peak is exact rather than sampled. Run it in the <see cref="MemoryMeasurement"/> collection.
/// </summary>
public static class PeakMemory
{
    public static long GrowthDuring(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Status("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5"); // 5 = reset the peak RSS to the current RSS
        action();
        return Status("VmHWM") - before;
    }

    /// <summary>A field of /proc/self/status in bytes (the kernel writes kB).</summary>
    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }
}
