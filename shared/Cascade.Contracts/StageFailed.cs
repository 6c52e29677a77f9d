namespace Cascade.Contracts;

/// <summary>A stage refused the image for good (e.g. IMAGE_CORRUPT); never retried.</summary>
public sealed record StageFailed : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public required string Stage { get; init; }
    public required string ErrorCode { get; init; }
    public required string ErrorMessage { get; init; }
}
