namespace Cascade.Training.Embeddings;

/// <summary>
/// Training-time views of an image: a random crop window (at the normal or a zoomed-in scale), a horizontal
/// flip and small brightness/contrast changes. View 0 is always the plain centre crop the services see.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Augmented views per training image, besides the centre view.</summary>
    public int Views { get; init; } = 3;
    /// <summary>Short side of the zoomed-in decode used by every second view (the normal one is the input's).</summary>
    public int ZoomShortSide { get; init; } = 288;
    /// <summary>Brightness shift, ± this fraction of full scale.</summary>
    public float MaxBrightness { get; init; } = 0.08f;
    /// <summary>Contrast factor in 1 ± this.</summary>
    public float MaxContrast { get; init; } = 0.15f;

    public void Validate()
    {
        if (Views is < 0 or > 64) throw new ArgumentException($"Augmented views must be 0..64, was {Views}.");
        if (MaxBrightness is < 0 or > 0.5f) throw new ArgumentException($"Brightness change must be 0..0.5, was {MaxBrightness}.");
        if (MaxContrast is < 0 or > 0.9f) throw new ArgumentException($"Contrast change must be 0..0.9, was {MaxContrast}.");
    }

    /// <summary>Identifies these settings in cache keys: changing them must not reuse old augmented embeddings.</summary>
    public string Fingerprint => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"v1:{ZoomShortSide}:{MaxBrightness}:{MaxContrast}")))[..8];
}
