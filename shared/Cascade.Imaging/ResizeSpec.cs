namespace Cascade.Imaging;

public enum ResizeMode
{
    /// <summary>Scale so the short side equals <see cref="ResizeSpec.ShortSide"/>, keeping aspect; the tensor writer crops the centre.</summary>
    ShortSideCrop,
    /// <summary>Scale both sides to exactly the target size, ignoring aspect.</summary>
    Stretch,
}

/// <summary>How an image is resized before it becomes a model input of <see cref="Width"/> x <see cref="Height"/>.</summary>
public sealed record ResizeSpec(ResizeMode Mode, int Width, int Height, int ShortSide)
{
    public static ResizeSpec ImageNet { get; } = new(ResizeMode.ShortSideCrop, 224, 224, 256);

    /// <summary>Stable text form, e.g. <c>short-side 256, crop 224x224</c>: a stage compares it with its own to tell whether a decode done elsewhere fits it.</summary>
    public override string ToString() => Mode == ResizeMode.ShortSideCrop ? $"short-side {ShortSide}, crop {Width}x{Height}" : $"stretch {Width}x{Height}";

    public void Validate()
    {
        if (Width <= 0 || Height <= 0) throw new ArgumentException($"Input size must be positive, was {Width}x{Height}.");
        if (Mode == ResizeMode.ShortSideCrop && ShortSide < Math.Max(Width, Height))
            throw new ArgumentException($"Short side {ShortSide} is smaller than the {Width}x{Height} crop.");
    }
}
