using System.Globalization;
using System.Text;
using Cascade.LoadGenerator;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// What a <see cref="SoakRun"/> measured, and its Markdown for docs/benchmarks.md: the throughput passes and the
/// RabbitMQ/in-process ratio, the half-load run's losses and latency, every process's and container's memory and
/// CPU, and the same by minute. The targets are the ones that stand (docs/benchmarks.md, "Summary against the
/// targets"), fixed here before anything is measured.
/// </summary>
public sealed record SoakReport
{
    public const double ThroughputRatioTarget = 0.80;
    public const double P99TargetMs = 100;

    public required string Command { get; init; }
    public required SoakSettings Settings { get; init; }
    public required MachineConditions Machine { get; init; }
    public required string Stack { get; init; }
    public required int InFlight { get; init; }
    public required IReadOnlyList<ThroughputPass> InProcess { get; init; }
    public required IReadOnlyList<ThroughputPass> OverRabbitMq { get; init; }
    public required double HalfLoadPerSecond { get; init; }
    public required AmqpLoadReport HalfLoad { get; init; }
    /// <summary>The services' names (they are held to the memory criterion); the samples also hold the containers and the load client.</summary>
    public required IReadOnlyList<string> Services { get; init; }
    public required IReadOnlyList<ResourceSample> Samples { get; init; }

    public double InProcessPerSecond => ThroughputPass.PerSecondOf(InProcess);
    public double OverRabbitMqPerSecond => ThroughputPass.PerSecondOf(OverRabbitMq);
    public double ThroughputRatio => OverRabbitMqPerSecond / InProcessPerSecond;
    public double HalfLoadP99Ms => HalfLoad.LatencyMs(0.99);
    /// <summary>Resident memory of the services and the containers.</summary>
    public IReadOnlyList<MemoryTrack> Memory => Names.Where(n => n != ResourceSampler.LoadClient).Select(n => Track(n, s => s.MiB)).ToList();
    public IReadOnlyList<MemoryTrack> ManagedHeap => Services.Select(n => Track(n, s => s.ManagedHeapMiB)).ToList();
    /// <summary>The soak's own criteria (issue 13): nothing lost or answered twice, every service's memory flat.</summary>
    public bool SoakCriteriaMet => HalfLoad.NeverAnswered.Count == 0 && HalfLoad.Duplicates.Count == 0 && Memory.Where(m => Services.Contains(m.Name)).All(m => m.Flat);

    private IReadOnlyList<string> Names => Samples[0].MiB.Keys.ToList();
    private IReadOnlyList<string> CpuNames => Samples[0].CpuCores.Keys.ToList();

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        Header(text);
        Throughput(text);
        Verdicts(text);
        MemoryTables(text);
        Cpu(text);
        ByMinute(text);
        return text.ToString();
    }

    private void Header(StringBuilder text)
    {
        var loads = Samples.Select(s => s.LoadAverage).ToList();
        var others = Samples.Skip(1).Select(OthersCores).ToList();
        text.AppendLine($"Command: `{Command}`  ");
        text.AppendLine($"Machine: {Machine}. During the half-load run the machine's CPU outside this stack (dockerd, other work) " +
            $"averaged {others.Average():0.00} cores (max {others.Max():0.00} over 10 s), the hypervisor stole {Samples.Skip(1).Average(s => s.MachineStolenCores):0.00}; " +
            $"one-minute load average {Machine.LoadAverageAtStart:0.0} at the start, {loads.Min():0.0}-{loads.Max():0.0} during (it counts this stack's own threads).  ");
        text.AppendLine($"Stack: {Stack}");
        text.AppendLine();
    }

    private void Throughput(StringBuilder text)
    {
        text.AppendLine($"**Maximum throughput**: closed loops of {InFlight} in flight over {InProcess[0].Images} images (30% bears), in-process and RabbitMQ passes alternating, after a warm-up pass of each.");
        text.AppendLine();
        text.AppendLine("| run | images | images/s | p50 ms | p95 ms | p99 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var pass in InProcess.Zip(OverRabbitMq).SelectMany(p => new[] { p.First, p.Second }))
            text.AppendLine($"| {pass.Name} | {pass.Images} | {pass.PerSecond:0.0} | {pass.P50Ms:0.0} | {pass.P95Ms:0.0} | {pass.P99Ms:0.0} |");
        text.AppendLine();
    }

    private void Verdicts(StringBuilder text)
    {
        var warmUp = Settings.WarmUp;
        text.AppendLine($"**Half load**: {HalfLoadPerSecond:0.0} submissions/s (half of {OverRabbitMqPerSecond:0.0}) for {Minutes(Settings.HalfLoad)}, an open loop of plain-AMQP publishes; resources sampled every 10 s, warm-up {Minutes(warmUp)}.");
        text.AppendLine();
        text.AppendLine("| | measured | target | met |");
        text.AppendLine("|---|---|---|---|");
        text.AppendLine($"| RabbitMQ end to end (PostgreSQL store) vs the in-process cascade | {ThroughputRatio:P0} ({OverRabbitMqPerSecond:0.0} vs {InProcessPerSecond:0.0} images/s) | >= {ThroughputRatioTarget:P0} | {YesNo(ThroughputRatio >= ThroughputRatioTarget)} |");
        text.AppendLine($"| p99 at half load, whole run | {HalfLoadP99Ms:0.0} ms (p50 {HalfLoad.LatencyMs(0.50):0.0}, p95 {HalfLoad.LatencyMs(0.95):0.0}, max {HalfLoad.LatencyMs(1):0.0}) | < {P99TargetMs:0} ms | {YesNo(HalfLoadP99Ms < P99TargetMs)} |");
        text.AppendLine($"| p99 at half load, after the warm-up | {HalfLoad.LatencyMs(0.99, warmUp):0.0} ms (p50 {HalfLoad.LatencyMs(0.50, warmUp):0.0}) | | |");
        text.AppendLine($"| submissions answered | {HalfLoad.Latencies.Count} of {HalfLoad.Submitted} ({HalfLoad.AnsweredPerSecond:0.0}/s) | | |");
        text.AppendLine($"| lost (never answered) | {HalfLoad.NeverAnswered.Count} | 0 | {YesNo(HalfLoad.NeverAnswered.Count == 0)} |");
        text.AppendLine($"| duplicate final results | {HalfLoad.Duplicates.Count} | 0 | {YesNo(HalfLoad.Duplicates.Count == 0)} |");
        text.AppendLine($"| timed out / failed | {HalfLoad.TimedOut.Count} / {HalfLoad.Failed.Count} | | |");
        foreach (var track in Memory.Where(m => Services.Contains(m.Name)))
            text.AppendLine($"| {track.Name} RSS after the warm-up, against {track.AtWarmUpEnd:0} MiB at its end | {track.MinAfterWarmUp:0}-{track.MaxAfterWarmUp:0} MiB | within {MemoryTrack.Tolerance:P0} | {YesNo(track.Flat)} |");
        text.AppendLine();
        text.AppendLine($"Final states: {string.Join(", ", HalfLoad.States.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}; reconnects {HalfLoad.Reconnects}; identical repeated copies {HalfLoad.RepeatedCopies}; unexpected messages {HalfLoad.Unexpected.Count}.");
        text.AppendLine();
    }

    private void MemoryTables(StringBuilder text)
    {
        text.AppendLine("Memory in MiB (RSS: VmRSS of a process, `docker stats` memory usage of a container; managed heap: gen2 + LOH + POH after the last GC, from the service's /metrics):");
        text.AppendLine();
        text.AppendLine("| | at start | at warm-up end | at end | min-max after warm-up | end vs warm-up end | max vs warm-up end | trend after warm-up | within 10% |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (m, kind) in Memory.Select(m => (m, "RSS")).Concat(ManagedHeap.Select(m => (m, "managed heap"))))
            text.AppendLine($"| {m.Name} {kind} | {m.AtStart:0} | {m.AtWarmUpEnd:0} ({Clock(m.WarmUpEndedAt)}) | {m.AtEnd:0} ({Clock(m.EndedAt)}) | {m.MinAfterWarmUp:0}-{m.MaxAfterWarmUp:0} | {Change(m.AtEnd, m.AtWarmUpEnd)} | {Change(m.MaxAfterWarmUp, m.AtWarmUpEnd)} | {m.MiBPerMinute:+0.0;-0.0;0.0} MiB/min | {YesNo(m.Flat)} |");
        text.AppendLine();
    }

    private void Cpu(StringBuilder text)
    {
        var intervals = Samples.Skip(1).Zip(Samples, (s, previous) => (Sample: s, Seconds: (s.At - previous.At).TotalSeconds)).ToList();
        double CoreSeconds(Func<ResourceSample, double> cores) => intervals.Sum(i => cores(i.Sample) * i.Seconds);
        var seconds = intervals.Sum(i => i.Seconds);
        var answered = Math.Max(1, HalfLoad.Latencies.Count);
        text.AppendLine("CPU during the half-load run (cores: 1 = one core busy throughout; 2 cores in all):");
        text.AppendLine();
        text.AppendLine("| | mean cores | CPU ms per submission |");
        text.AppendLine("|---|---:|---:|");
        var rows = CpuNames.Select(n => (n, (Func<ResourceSample, double>)(s => s.CpuCores[n])))
            .Append(("everything else (dockerd, other work)", OthersCores))
            .Append(("whole machine", s => s.MachineBusyCores));
        foreach (var (name, cores) in rows)
        {
            var used = CoreSeconds(cores);
            text.AppendLine($"| {name} | {used / seconds:0.00} | {used * 1000 / answered:0.0} |");
        }
        text.AppendLine();
    }

    private void ByMinute(StringBuilder text)
    {
        text.AppendLine("By minute of the half-load run (latency by the minute a submission was published; RSS at the minute's last sample; GC pauses of the three services together):");
        text.AppendLine();
        var memoryNames = Memory.Select(m => m.Name).ToList();
        text.AppendLine($"| minute | submissions | p50 ms | p99 ms | max ms | {string.Join(" | ", memoryNames.Select(n => $"{n} MiB"))} | GC pauses ms | machine busy cores | everything else cores |");
        text.AppendLine($"|---:|---:|---:|---:|---:|{string.Concat(memoryNames.Select(_ => "---:|"))}---:|---:|---:|");
        var minutes = (int)Math.Ceiling(Samples[^1].At.TotalMinutes);
        for (var minute = 0; minute < minutes; minute++)
        {
            var (from, to) = (TimeSpan.FromMinutes(minute), TimeSpan.FromMinutes(minute + 1));
            var latencies = HalfLoad.Latencies.Where(l => l.PublishedAfter >= from && l.PublishedAfter < to).Select(l => l.Milliseconds).Order().ToList();
            var samples = Samples.Skip(1).Where(s => s.At > from && s.At <= to).ToList();
            if (samples.Count == 0) continue;
            text.AppendLine($"| {minute} | {latencies.Count} | {Percentiles.Of(latencies, 0.50):0} | {Percentiles.Of(latencies, 0.99):0} | {Percentiles.Of(latencies, 1):0} | " +
                $"{string.Join(" | ", memoryNames.Select(n => samples[^1].MiB[n].ToString("0", CultureInfo.InvariantCulture)))} | " +
                $"{samples.Sum(s => Services.Sum(n => s.GcPauseMs[n])):0} | {samples.Average(s => s.MachineBusyCores):0.00} | {samples.Average(OthersCores):0.00} |");
        }
        text.AppendLine();
    }

    /// <summary>The machine's CPU not accounted to this stack's processes, containers or the load client.</summary>
    private double OthersCores(ResourceSample sample) => sample.MachineBusyCores - CpuNames.Sum(n => sample.CpuCores[n]);

    private MemoryTrack Track(string name, Func<ResourceSample, IReadOnlyDictionary<string, double>> series) =>
        MemoryTrack.From(name, Samples.Select(s => (s.At, series(s)[name])).ToList(), Settings.WarmUp);

    private static string YesNo(bool met) => met ? "yes" : "**no**";
    private static string Change(double value, double reference) => $"{(value - reference) / reference:+0.0%;-0.0%;0.0%}";
    private static string Clock(TimeSpan at) => $"{(int)at.TotalMinutes}:{at.Seconds:00}";
    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
