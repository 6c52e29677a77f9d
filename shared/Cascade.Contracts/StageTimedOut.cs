namespace Cascade.Contracts;

/// <summary>Sent by the orchestrator's deadline monitor when a submission's current stage ran past its deadline.</summary>
public sealed record StageTimedOut
{
    public required Guid SubmissionId { get; init; }
}
