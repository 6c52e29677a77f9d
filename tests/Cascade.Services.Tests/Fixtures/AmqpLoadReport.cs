using System.Text;
using Cascade.LoadGenerator;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>What an <see cref="AmqpLoadClient"/> run saw on its reply queue, per client request id.</summary>
public sealed record AmqpLoadReport
{
    public required int Submitted { get; init; }
    /// <summary>Publishes again after a reconnect, of ids that had no final result yet.</summary>
    public required int Republished { get; init; }
    public required int Reconnects { get; init; }
    public required TimeSpan Elapsed { get; init; }
    /// <summary>Ids with no final result by the deadline.</summary>
    public required IReadOnlyList<string> NeverAnswered { get; init; }
    /// <summary>Ids with more than one distinct final result (identical copies are not duplicates: see <see cref="AmqpResult"/>).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<AmqpResult>> Duplicates { get; init; }
    /// <summary>Identical copies of a final result already seen (redeliveries, answers to republished ids).</summary>
    public required int RepeatedCopies { get; init; }
    public required IReadOnlyList<string> TimedOut { get; init; }
    /// <summary>Ids whose final result is FAILED, with its error code.</summary>
    public required IReadOnlyDictionary<string, string> Failed { get; init; }
    /// <summary>First final result per id, counted by state.</summary>
    public required IReadOnlyDictionary<string, int> States { get; init; }
    /// <summary>Non-final results (a pending status sent to a resubmission's reply queue).</summary>
    public required int NotFinal { get; init; }
    /// <summary>Reply-queue messages that are not a result for one of this run's ids.</summary>
    public required IReadOnlyList<string> Unexpected { get; init; }
    /// <summary>Every answered id's latency, in the order they were first published.</summary>
    public required IReadOnlyList<AmqpLatency> Latencies { get; init; }

    /// <summary>Answered ids per second, from the run's first publish to its last first final result.</summary>
    public double AnsweredPerSecond => Latencies.Count == 0 ? 0 : Latencies.Count / Latencies.Max(l => l.PublishedAfter.TotalSeconds + l.Milliseconds / 1000);

    /// <summary>The <paramref name="q"/> quantile (0-1) of the latencies, in ms, of the ids first published in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public double LatencyMs(double q, TimeSpan? from = null, TimeSpan? to = null) =>
        Percentiles.Of(Latencies.Where(l => l.PublishedAfter >= (from ?? TimeSpan.Zero) && l.PublishedAfter < (to ?? TimeSpan.MaxValue)).Select(l => l.Milliseconds).Order().ToList(), q);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Submitted} submissions, the run over in {Elapsed.TotalSeconds:0.0} s (republished {Republished} after {Reconnects} reconnects)");
        text.AppendLine($"answered {AnsweredPerSecond:0.0}/s; latency p50 {LatencyMs(0.50):0.0} ms, p95 {LatencyMs(0.95):0.0} ms, p99 {LatencyMs(0.99):0.0} ms (first publish to first final result)");
        text.AppendLine($"final states: {string.Join(", ", States.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}; not final {NotFinal}; identical copies {RepeatedCopies}");
        text.AppendLine($"never answered: {NeverAnswered.Count}{Examples(NeverAnswered)}");
        text.AppendLine($"duplicate final results: {Duplicates.Count}{Examples(Duplicates.Take(5).Select(d => $"{d.Key}: {string.Join(" / ", d.Value)}").ToList())}");
        text.AppendLine($"timed out: {TimedOut.Count}{Examples(TimedOut)}");
        text.AppendLine($"failed: {Failed.Count}{(Failed.Count == 0 ? "" : $" ({string.Join(", ", Failed.GroupBy(f => f.Value).Select(g => $"{g.Key} {g.Count()}"))})")}");
        text.Append($"unexpected messages: {Unexpected.Count}{Examples(Unexpected)}");
        return text.ToString();
    }

    private static string Examples(IReadOnlyCollection<string> items) => items.Count == 0 ? "" : $" (e.g. {string.Join("; ", items.Take(5))})";
}
