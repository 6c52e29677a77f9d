using Cascade.Contracts;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// One submission as the store keeps it: where it is in the cascade (<see cref="Status"/>), what it needs to go on
/// (image, deadlines, reply queue) and, once finished, its result. Rows change only through
/// <see cref="SubmissionStore.TransitionAsync"/>, which compares <see cref="Version"/> (optimistic concurrency),
/// so any number of orchestrators can apply answers to the same table.
/// </summary>
public sealed class SubmissionRecord
{
    public Guid Id { get; set; }
    public string? ClientRequestId { get; set; }
    /// <summary>SHA-256 of the image, hex: the same client request id with another image is an idempotency conflict.</summary>
    public string ImageSha256 { get; set; } = "";
    /// <summary>The claim check the stages read the image from; deleted when the submission ends.</summary>
    public string ImageAddress { get; set; } = "";
    public SubmissionStatus Status { get; set; }
    public string? ReplyTo { get; set; }
    public string? TraceId { get; set; }
    /// <summary>W3C traceparent of the submission: what the outbox sends later joins the submitter's trace.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>When the current stage times out; null once finished.</summary>
    public DateTimeOffset? Deadline { get; set; }
    /// <summary>The caller's deadline, handed to the stages.</summary>
    public DateTimeOffset? AnswerBy { get; set; }
    public GateResult? Gate { get; set; }
    public ClassifierResult? Classifier { get; set; }
    public string? Label { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>When the finished row (and with it the client request id's deduplication) is deleted.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Concurrency token: bumped by every transition.</summary>
    public int Version { get; set; }

    public bool IsFinished => FinishedAt is not null;
}
