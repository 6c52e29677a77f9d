namespace Cascade.Imaging;

/// <summary>What the decoder accepts. Pixel count is checked from the header, before any full decode.</summary>
public sealed record ImageLimits
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;
    public const long DefaultMaxPixels = 40_000_000;

    public long MaxBytes { get; init; } = DefaultMaxBytes;
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    public static ImageLimits Default { get; } = new();

    public void Validate()
    {
        if (MaxBytes <= 0) throw new ArgumentException($"MaxBytes must be positive, was {MaxBytes}.");
        if (MaxPixels <= 0) throw new ArgumentException($"MaxPixels must be positive, was {MaxPixels}.");
    }
}
