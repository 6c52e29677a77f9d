namespace Cascade.Contracts;

/// <summary>Command to the classifier service, sent by the gate for an image it accepted, with the gate's result.</summary>
public sealed record ClassifyImage : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public required MessageData<byte[]> Image { get; init; }
    public required GateResult Gate { get; init; }
    /// <summary>The gate's decode of <see cref="Image"/>, when the gate forwards it.</summary>
    public DecodedPixels? Pixels { get; init; }
    /// <summary>The gate's backbone outputs for the image, when the gate forwards them.</summary>
    public BackboneRow? Backbone { get; init; }
    /// <inheritdoc cref="GateImage.AnswerBy"/>
    public DateTimeOffset? AnswerBy { get; init; }
}
