using System.Diagnostics;
using System.Runtime;

namespace Cascade.Cli.Bench;

/// <summary>
/// Warm-up passes until the tiered JIT has settled, so that a measurement times the code and not its compilation.
/// One pass was not enough for the services: in the first measured pass after it the JIT's tiering thread still took
/// 22% of the process's CPU (a perf profile of <c>bench --end-to-end</c>, in-memory bus), against 1% in a later pass.
/// </summary>
public static class JitWarmUp
{
    /// <summary>Passes that spent at most this share of their wall time compiling count as settled.</summary>
    public const double SettledShare = 0.02;

    private const int MaxPasses = 5;

    /// <summary>Runs <paramref name="pass"/> until one compiles for at most 2% of its wall time, at most <see cref="MaxPasses"/> times.</summary>
    /// <returns>The passes run, and whether the last one was settled.</returns>
    public static async Task<(int Passes, bool Settled)> RunAsync(Func<Task> pass)
    {
        for (var passes = 1; ; passes++)
        {
            var compiling = JitInfo.GetCompilationTime();
            var wall = Stopwatch.StartNew();
            await pass();
            var settled = JitInfo.GetCompilationTime() - compiling <= wall.Elapsed * SettledShare;
            if (settled || passes == MaxPasses) return (passes, settled);
        }
    }
}
