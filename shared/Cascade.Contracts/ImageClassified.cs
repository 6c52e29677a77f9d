namespace Cascade.Contracts;

/// <summary>The classifier's per-label scores; <see cref="Label"/> is null when no label was confident enough.</summary>
public sealed record ImageClassified
{
    public required Guid SubmissionId { get; init; }
    public string? Label { get; init; }
    public required IReadOnlyList<LabelScore> Scores { get; init; }
    public required ModelInfo Model { get; init; }
    public required StageTimings Timings { get; init; }
}
