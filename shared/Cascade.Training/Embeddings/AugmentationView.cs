using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Cascade.Imaging;

namespace Cascade.Training.Embeddings;

/// <summary>
/// One deterministic view of an image: decode at <see cref="ShortSide"/>, crop at a fraction of the slack,
/// optionally mirror, then adjust contrast (around mid-grey) and brightness. Derived from the image's
/// content hash and the view index, so a view's embedding can be cached.
/// </summary>
public readonly record struct AugmentationView(int Index, int ShortSide, float Left, float Top, bool Mirror, float Contrast, float Brightness, string Key)
{
    public bool IsCentre => Index == 0;

    public static AugmentationView Centre(int shortSide) => new(0, shortSide, 0.5f, 0.5f, false, 1, 0, "centre");

    /// <summary>The centre crop flipped horizontally: the second half of a mirror-averaging pack's backbone batch.</summary>
    public static AugmentationView CentreMirror(int shortSide) => new(0, shortSide, 0.5f, 0.5f, true, 1, 0, "centre-mirror");

    public static AugmentationView Create(string contentHash, int index, int shortSide, AugmentationOptions options)
    {
        if (index == 0) return Centre(shortSide);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{contentHash}:{index}:{options.Fingerprint}"));
        float Unit(int i) => BinaryPrimitives.ReadUInt32LittleEndian(digest.AsSpan(i * 4)) / (float)uint.MaxValue;
        return new AugmentationView(
            index,
            index % 2 == 0 ? options.ZoomShortSide : shortSide,
            Unit(0),
            Unit(1),
            // Odd views mirror: every image gets a flipped and an unflipped augmented view.
            index % 2 == 1,
            1 + (Unit(2) * 2 - 1) * options.MaxContrast,
            (Unit(3) * 2 - 1) * options.MaxBrightness,
            $"aug{index}-{options.Fingerprint}");
    }

    /// <summary>Writes this view of <paramref name="image"/> (decoded at <see cref="ShortSide"/>) into <paramref name="destination"/>.</summary>
    public void Write(DecodedImage image, TensorLayout layout, Span<float> destination)
    {
        // The centre view must match the services' preprocessing pixel for pixel: let the layout centre it.
        int? left = IsCentre ? null : (int)MathF.Round(Left * (image.Width - layout.Width));
        int? top = IsCentre ? null : (int)MathF.Round(Top * (image.Height - layout.Height));
        layout.Write(image, destination, left, top, Mirror);
        if (Contrast == 1 && Brightness == 0) return;

        // In model units v = (x·scale − mean)/std; contrast k around grey g and brightness β on x·scale give
        // v' = k·v + ((k−1)(mean − g) + β)/std per channel.
        var plane = layout.Width * layout.Height;
        var grey = 127.5f * layout.Scale;
        var shift = Brightness * 255f * layout.Scale;
        for (var c = 0; c < 3; c++)
        {
            var channel = destination.Slice(c * plane, plane);
            var offset = ((Contrast - 1) * (layout.Mean[c] - grey) + shift) / layout.Std[c];
            TensorPrimitives.Multiply(channel, Contrast, channel);
            TensorPrimitives.Add(channel, offset, channel);
        }
    }
}
