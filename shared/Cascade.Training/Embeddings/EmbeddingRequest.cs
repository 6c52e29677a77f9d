using Cascade.Imaging;

namespace Cascade.Training.Embeddings;

/// <summary>
/// One embedding to compute: an image file, or a generated image (<see cref="Generate"/>, already at the
/// view's short side), seen through <see cref="View"/>.
/// </summary>
public sealed record EmbeddingRequest(string ContentHash, string? Path, Func<DecodedImage>? Generate, AugmentationView View)
{
    public static EmbeddingRequest ForFile(string path, string contentHash, AugmentationView view) => new(contentHash, path, null, view);

    public static EmbeddingRequest ForGenerated(string contentHash, Func<DecodedImage> generate, AugmentationView view) => new(contentHash, null, generate, view);
}
