namespace Cascade.Orchestrator.Store;

/// <summary>What an outbox entry delivers; the message itself is built from the submission's committed row.</summary>
public enum OutboxKind
{
    /// <summary><c>GateImage</c> to the gate's queue.</summary>
    GateCommand,
    /// <summary>The final result: <c>SubmissionFinished</c> to every orchestrator, plain JSON to <c>cascade.results</c> and the reply queue; then the claim check is deleted.</summary>
    Result,
    /// <summary>The submission's result, or its status while in flight, to <see cref="OutboxEntry.Destination"/> (a resubmission's new reply queue).</summary>
    Reply,
}

/// <summary>
/// A message the orchestrator owes, written in the same transaction as the state change that owes it and
/// deleted once sent. The writer sends it right after commit; any orchestrator sends it once
/// <see cref="LeaseUntil"/> has passed (the writer died or the broker was down).
/// </summary>
public sealed class OutboxEntry
{
    public long Id { get; set; }
    public Guid SubmissionId { get; set; }
    public OutboxKind Kind { get; set; }
    /// <summary>Queue for <see cref="OutboxKind.Reply"/>.</summary>
    public string? Destination { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Until then the entry belongs to whoever leased it last: nobody else sends it.</summary>
    public DateTimeOffset LeaseUntil { get; set; }
}
