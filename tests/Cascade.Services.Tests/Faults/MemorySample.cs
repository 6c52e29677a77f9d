namespace Cascade.Services.Tests.Faults;

/// <summary>
/// One <see cref="MemorySampler"/> tick: resident memory in MiB by name (a process's VmRSS, a container's memory as
/// <c>docker stats</c> counts it; NaN where it could not be read, such as a process that has exited), and the
/// machine's one-minute load average.
/// </summary>
public sealed record MemorySample(TimeSpan At, IReadOnlyDictionary<string, double> MiB, double LoadAverage);
