using System.Diagnostics;

namespace Cascade.Cli.Bench;

/// <summary>
/// CPU time this process used since <see cref="Start"/>: on a shared, noisy machine the CPU an image costs varies
/// far less than images/s, so it shows whether a change made the work cheaper.
/// </summary>
public readonly record struct CpuTime(TimeSpan StartedAt)
{
    public static CpuTime Start() => new(Process.GetCurrentProcess().TotalProcessorTime);

    public TimeSpan Elapsed => Process.GetCurrentProcess().TotalProcessorTime - StartedAt;
}
