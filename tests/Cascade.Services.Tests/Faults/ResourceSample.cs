namespace Cascade.Services.Tests.Faults;

/// <summary>
/// One <see cref="ResourceSampler"/> tick, by name of process or container. NaN marks what could not be read (a
/// process that has exited, a scrape that failed) and what has no interval yet (the first tick's CPU and GC pauses).
/// </summary>
/// <param name="MiB">A process's VmRSS; a container's memory as <c>docker stats</c> counts it (usage less inactive page cache).</param>
/// <param name="CpuCores">CPU used since the previous tick, in cores (1 = one core busy throughout); a container's is <c>docker stats</c>' CPUPerc / 100, measured over about a second. Also the docker-proxy processes, which have no memory entry.</param>
/// <param name="ManagedHeapMiB">A service's managed heap after its last GC, gen2 + LOH + POH (what a leak of objects grows), from its /metrics.</param>
/// <param name="GcPauseMs">A service's GC pause time since the previous tick, from its /metrics.</param>
/// <param name="MachineBusyCores">The whole machine's CPU since the previous tick (/proc/stat), in cores: ours and everything else's.</param>
/// <param name="MachineStolenCores">CPU the hypervisor gave other machines while this one wanted it, since the previous tick, in cores.</param>
public sealed record ResourceSample(
    TimeSpan At,
    IReadOnlyDictionary<string, double> MiB,
    IReadOnlyDictionary<string, double> CpuCores,
    IReadOnlyDictionary<string, double> ManagedHeapMiB,
    IReadOnlyDictionary<string, double> GcPauseMs,
    double MachineBusyCores,
    double MachineStolenCores,
    double LoadAverage);
