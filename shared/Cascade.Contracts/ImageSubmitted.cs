namespace Cascade.Contracts;

/// <summary>
/// A new submission; starts the orchestrator's saga. The image travels by claim check (<see cref="Image"/>),
/// never inside the message.
/// </summary>
public sealed record ImageSubmitted : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public string? ClientRequestId { get; init; }
    public required MessageData<byte[]> Image { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>W3C trace id of the submission, echoed in the result.</summary>
    public required string TraceId { get; init; }
    /// <summary>Queue that also receives the plain-JSON result (AMQP clients).</summary>
    public string? ReplyTo { get; init; }
    /// <summary>
    /// The caller's deadline, when it has one: a stage that gets this message later refuses it with
    /// DEADLINE_EXCEEDED instead of running its model, and work still queued at the model then leaves the queue.
    /// </summary>
    public DateTimeOffset? AnswerBy { get; init; }
}
