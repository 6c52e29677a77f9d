using System.Globalization;
using System.Text;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// What a <see cref="SoakRun"/> measured, and its Markdown for docs/benchmarks.md: the throughput passes and the
/// RabbitMQ/in-process ratio, the half-load run's losses and latency, and every process's and container's memory.
/// The targets are the ones that stand (docs/benchmarks.md, "Summary against the targets"), fixed here before
/// anything is measured.
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
    public required IReadOnlyList<string> Processes { get; init; }
    public required IReadOnlyList<MemorySample> Samples { get; init; }

    public double InProcessPerSecond => ThroughputPass.PerSecondOf(InProcess);
    public double OverRabbitMqPerSecond => ThroughputPass.PerSecondOf(OverRabbitMq);
    public double ThroughputRatio => OverRabbitMqPerSecond / InProcessPerSecond;
    public double HalfLoadP99Ms => HalfLoad.LatencyMs(0.99);
    public IReadOnlyList<MemoryTrack> Memory => Samples[0].MiB.Keys.Select(name => MemoryTrack.From(name, Samples, Settings.WarmUp)).ToList();
    /// <summary>The soak's own criteria (issue 13): nothing lost or answered twice, every process's memory flat.</summary>
    public bool SoakCriteriaMet => HalfLoad.NeverAnswered.Count == 0 && HalfLoad.Duplicates.Count == 0 && Memory.Where(m => Processes.Contains(m.Name)).All(m => m.Flat);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var loads = Samples.Select(s => s.LoadAverage).ToList();
        text.AppendLine($"Command: `{Command}`  ");
        text.AppendLine($"Machine: {Machine}; one-minute load average {Machine.LoadAverageAtStart:0.0} at the start, {loads.Min():0.0}-{loads.Max():0.0} (mean {loads.Average():0.0}) during the half-load run  ");
        text.AppendLine($"Stack: {Stack}");
        text.AppendLine();

        text.AppendLine($"**Maximum throughput**: closed loops of {InFlight} in flight over {InProcess[0].Images} images (30% bears), in-process and RabbitMQ passes alternating, after a warm-up pass of each.");
        text.AppendLine();
        text.AppendLine("| run | images | images/s | p50 ms | p95 ms | p99 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var pass in InProcess.Zip(OverRabbitMq).SelectMany(p => new[] { p.First, p.Second }))
            text.AppendLine($"| {pass.Name} | {pass.Images} | {pass.PerSecond:0.0} | {pass.P50Ms:0.0} | {pass.P95Ms:0.0} | {pass.P99Ms:0.0} |");
        text.AppendLine();

        var after = (from: Settings.WarmUp, to: (TimeSpan?)null);
        text.AppendLine($"**Half load**: {HalfLoadPerSecond:0.0} submissions/s (half of {OverRabbitMqPerSecond:0.0}) for {Minutes(Settings.HalfLoad)}, an open loop of plain-AMQP publishes; memory sampled every 10 s, warm-up {Minutes(Settings.WarmUp)}.");
        text.AppendLine();
        text.AppendLine("| | measured | target | met |");
        text.AppendLine("|---|---|---|---|");
        text.AppendLine($"| RabbitMQ end to end (PostgreSQL store) vs the in-process cascade | {ThroughputRatio:P0} ({OverRabbitMqPerSecond:0.0} vs {InProcessPerSecond:0.0} images/s) | >= {ThroughputRatioTarget:P0} | {YesNo(ThroughputRatio >= ThroughputRatioTarget)} |");
        text.AppendLine($"| p99 at half load, whole run | {HalfLoadP99Ms:0.0} ms (p50 {HalfLoad.LatencyMs(0.50):0.0}, p95 {HalfLoad.LatencyMs(0.95):0.0}, max {HalfLoad.LatencyMs(1):0.0}) | < {P99TargetMs:0} ms | {YesNo(HalfLoadP99Ms < P99TargetMs)} |");
        text.AppendLine($"| p99 at half load, after the warm-up | {HalfLoad.LatencyMs(0.99, after.from, after.to):0.0} ms (p50 {HalfLoad.LatencyMs(0.50, after.from, after.to):0.0}) | | |");
        text.AppendLine($"| submissions answered | {HalfLoad.Latencies.Count} of {HalfLoad.Submitted} ({HalfLoad.AnsweredPerSecond:0.0}/s) | | |");
        text.AppendLine($"| lost (never answered) | {HalfLoad.NeverAnswered.Count} | 0 | {YesNo(HalfLoad.NeverAnswered.Count == 0)} |");
        text.AppendLine($"| duplicate final results | {HalfLoad.Duplicates.Count} | 0 | {YesNo(HalfLoad.Duplicates.Count == 0)} |");
        text.AppendLine($"| timed out / failed | {HalfLoad.TimedOut.Count} / {HalfLoad.Failed.Count} | | |");
        foreach (var track in Memory.Where(m => Processes.Contains(m.Name)))
            text.AppendLine($"| {track.Name} RSS after the warm-up within {MemoryTrack.Tolerance:P0} of {track.AtWarmUpEnd:0} MiB | {track.MinAfterWarmUp:0}-{track.MaxAfterWarmUp:0} MiB | within {MemoryTrack.Tolerance:P0} | {YesNo(track.Flat)} |");
        text.AppendLine();
        text.AppendLine($"Final states: {string.Join(", ", HalfLoad.States.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}; reconnects {HalfLoad.Reconnects}; identical repeated copies {HalfLoad.RepeatedCopies}; unexpected messages {HalfLoad.Unexpected.Count}.");
        text.AppendLine();

        text.AppendLine("Memory (MiB; processes: VmRSS, containers: `docker stats` memory usage):");
        text.AppendLine();
        text.AppendLine("| | at start | at warm-up end | at end | max after warm-up | end vs warm-up end | max vs warm-up end | trend after warm-up | within 10% |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in Memory)
            text.AppendLine($"| {m.Name} | {m.AtStart:0} | {m.AtWarmUpEnd:0} ({Clock(m.WarmUpEndedAt)}) | {m.AtEnd:0} ({Clock(m.EndedAt)}) | {m.MaxAfterWarmUp:0} | {Change(m.AtEnd, m.AtWarmUpEnd)} | {Change(m.MaxAfterWarmUp, m.AtWarmUpEnd)} | {m.MiBPerMinute:+0.0;-0.0;0.0} MiB/min | {YesNo(m.Flat)} |");
        text.AppendLine();
        text.AppendLine("Once a minute:");
        text.AppendLine();
        var names = Samples[0].MiB.Keys.ToList();
        text.AppendLine($"| t | {string.Join(" | ", names)} | load average |");
        text.AppendLine($"|---:|{string.Concat(names.Select(_ => "---:|"))}---:|");
        var minute = TimeSpan.Zero;
        foreach (var sample in Samples)
        {
            if (sample.At < minute && sample != Samples[^1]) continue;
            text.AppendLine($"| {Clock(sample.At)} | {string.Join(" | ", names.Select(n => sample.MiB[n].ToString("0", CultureInfo.InvariantCulture)))} | {sample.LoadAverage:0.0} |");
            while (minute <= sample.At) minute += TimeSpan.FromMinutes(1);
        }
        return text.ToString();
    }

    private static string YesNo(bool met) => met ? "yes" : "**no**";
    private static string Change(double value, double reference) => $"{(value - reference) / reference:+0.0%;-0.0%;0.0%}";
    private static string Clock(TimeSpan at) => $"{(int)at.TotalMinutes}:{at.Seconds:00}";
    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
