namespace Cascade.Contracts;

/// <summary>Command to the gate service: does this image show the object at all?</summary>
public sealed record GateImage : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public required MessageData<byte[]> Image { get; init; }
    /// <inheritdoc cref="ImageSubmitted.AnswerBy"/>
    public DateTimeOffset? AnswerBy { get; init; }
}
