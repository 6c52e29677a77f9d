namespace Cascade.Imaging;

/// <summary>What the decoder accepts. Pixel count is checked from the header, before any full decode.</summary>
public sealed record ImageLimits
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;
    public const long DefaultMaxPixels = 40_000_000;
    public const int DefaultMaxAspectRatio = 10_000;

    public long MaxBytes { get; init; } = DefaultMaxBytes;
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>
    /// How many times its short side an image's long side may be (refused as too many pixels, from the header). No
    /// photo comes close; past it libvips' cost grows with the length of a row: a 40,000,000x1 PNG took 5 s and
    /// 500 MB to decode. With the default pixel limit it keeps every side under about 632,000 pixels.
    /// </summary>
    public int MaxAspectRatio { get; init; } = DefaultMaxAspectRatio;

    public static ImageLimits Default { get; } = new();

    public void Validate()
    {
        if (MaxBytes <= 0) throw new ArgumentException($"MaxBytes must be positive, was {MaxBytes}.");
        if (MaxPixels <= 0) throw new ArgumentException($"MaxPixels must be positive, was {MaxPixels}.");
        if (MaxAspectRatio < 1) throw new ArgumentException($"MaxAspectRatio must be at least 1, was {MaxAspectRatio}.");
    }
}
