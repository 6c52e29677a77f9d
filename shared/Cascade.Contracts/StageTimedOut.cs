namespace Cascade.Contracts;

/// <summary>Sent by the orchestrator's deadline monitor when a submission's current stage ran past its deadline.</summary>
public sealed record StageTimedOut : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
}
