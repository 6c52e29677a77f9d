namespace Cascade.Contracts;

/// <summary>Command to the classifier service, sent by the gate for an image it accepted.</summary>
public sealed record ClassifyImage
{
    public required Guid SubmissionId { get; init; }
    public required MessageData<byte[]> Image { get; init; }
    public required double GateScore { get; init; }
}
