namespace Cascade.Contracts;

/// <summary>Command to the gate service: does this image show the object at all?</summary>
public sealed record GateImage : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public required MessageData<byte[]> Image { get; init; }
    /// <summary>
    /// The caller's deadline, when it has one: a stage that gets this message later refuses it with
    /// DEADLINE_EXCEEDED instead of running its model, and work still queued at the model then leaves the queue.
    /// </summary>
    public DateTimeOffset? AnswerBy { get; init; }
}
