namespace Cascade.Contracts;

/// <summary>
/// The gate's decode of an image, forwarded with <see cref="ClassifyImage"/> so that the classifier need not decode
/// it again when it resizes the same way (for a 12-megapixel photo the decode costs far more than the model).
/// 8-bit RGB, interleaved, <see cref="Width"/> x <see cref="Height"/>, resized as <see cref="Resize"/> says. Used once:
/// the classifier deletes it after reading, and falls back to the original image when it is gone or does not fit.
/// </summary>
public sealed record DecodedPixels
{
    /// <summary>Where the RGB bytes are in the claim-check (message data) store; the classifier reads them from there itself.</summary>
    public required Uri Address { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>The decoder's resize, e.g. <c>short-side 256, crop 224x224</c>.</summary>
    public required string Resize { get; init; }
}
