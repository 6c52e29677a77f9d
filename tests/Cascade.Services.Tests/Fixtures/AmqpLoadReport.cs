using System.Text;

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

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Submitted} submissions, the run over in {Elapsed.TotalSeconds:0.0} s (republished {Republished} after {Reconnects} reconnects)");
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
