using System.Diagnostics;

namespace Cascade.Cli.Bench;

/// <summary>
/// CPU time this process used since <see cref="Start"/>: on a shared, noisy machine the CPU an image costs varies
/// far less than images/s, so it shows whether a change made the work cheaper.
/// </summary>
public readonly record struct CpuTime(TimeSpan StartedAt, TimeSpan BrokerStartedAt)
{
    public static CpuTime Start() => new(Process.GetCurrentProcess().TotalProcessorTime, BrokerTime());

    public TimeSpan Elapsed => Process.GetCurrentProcess().TotalProcessorTime - StartedAt;

    /// <summary>CPU time of a RabbitMQ broker on this machine (Erlang's beam.smp) since <see cref="Start"/>; zero when there is none.</summary>
    public TimeSpan BrokerElapsed => BrokerTime() - BrokerStartedAt;

    private static TimeSpan BrokerTime()
    {
        var total = TimeSpan.Zero;
        foreach (var process in Process.GetProcessesByName("beam.smp"))
        {
            using (process)
            {
                try
                {
                    total += process.TotalProcessorTime;
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited, or not ours to read.
                }
            }
        }
        return total;
    }
}
