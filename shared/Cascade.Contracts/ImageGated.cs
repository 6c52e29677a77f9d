namespace Cascade.Contracts;

/// <summary>The gate's verdict. When accepted, the gate has already forwarded the image to the classifier.</summary>
public sealed record ImageGated : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public required bool Accepted { get; init; }
    public required GateResult Gate { get; init; }
}
