namespace Cascade.Contracts;

/// <summary>
/// The classifier's per-label scores; <see cref="Label"/> is null when no label was confident enough. Carries the
/// gate's result too, so the orchestrator can finish even if this overtakes <see cref="ImageGated"/>.
/// </summary>
public sealed record ImageClassified : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public string? Label { get; init; }
    public required GateResult Gate { get; init; }
    public required ClassifierResult Classifier { get; init; }
}
