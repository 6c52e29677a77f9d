namespace Cascade.Imaging;

/// <summary>
/// How pixels become one model input: planar CHW floats, channel order, then (x * Scale - Mean) / Std per channel.
/// ImageNet/PyTorch models use Scale 1/255 with mean/std; Caffe-style models use Scale 1, BGR and mean only.
/// </summary>
public sealed record TensorLayout(int Width, int Height, ColorOrder ColorOrder, float Scale, float[] Mean, float[] Std)
{
    public int ElementCount => 3 * Width * Height;

    public void Validate()
    {
        if (Width <= 0 || Height <= 0) throw new ArgumentException($"Tensor size must be positive, was {Width}x{Height}.");
        if (Mean.Length != 3) throw new ArgumentException($"Mean needs 3 values, has {Mean.Length}.");
        if (Std.Length != 3) throw new ArgumentException($"Std needs 3 values, has {Std.Length}.");
        if (Std.Any(s => s == 0 || !float.IsFinite(s))) throw new ArgumentException("Std values must be finite and non-zero.");
        if (Scale == 0 || !float.IsFinite(Scale)) throw new ArgumentException("Scale must be finite and non-zero.");
    }

    /// <summary>
    /// Writes the <see cref="Width"/> x <see cref="Height"/> window of <paramref name="image"/> at
    /// (<paramref name="left"/>, <paramref name="top"/>) into <paramref name="destination"/> (CHW).
    /// Without an origin the window is centred. <paramref name="mirror"/> flips it horizontally.
    /// </summary>
    public void Write(DecodedImage image, Span<float> destination, int? left = null, int? top = null, bool mirror = false)
    {
        if (destination.Length < ElementCount) throw new ArgumentException($"Destination holds {destination.Length} floats; {ElementCount} needed.");
        if (image.Width < Width || image.Height < Height)
            throw new ArgumentException($"A {image.Width}x{image.Height} image cannot be cropped to {Width}x{Height}.");
        var x0 = left ?? (image.Width - Width) / 2;
        var y0 = top ?? (image.Height - Height) / 2;
        if (x0 < 0 || y0 < 0 || x0 + Width > image.Width || y0 + Height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(left), $"Window at ({x0},{y0}) does not fit a {image.Width}x{image.Height} image.");

        // Fold scale, mean and std into one multiply-add per value: v * a + b.
        // Mean and Std are in the tensor's channel order (BGR models list B first).
        Span<float> a = stackalloc float[3];
        Span<float> b = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            a[c] = Scale / Std[c];
            b[c] = -Mean[c] / Std[c];
        }
        // Offset of each tensor channel within an RGB pixel.
        var (c0, c2) = ColorOrder == ColorOrder.Rgb ? (0, 2) : (2, 0);

        var pixels = image.Pixels;
        var plane = Width * Height;
        var p0 = destination[..plane];
        var p1 = destination.Slice(plane, plane);
        var p2 = destination.Slice(2 * plane, plane);
        for (var y = 0; y < Height; y++)
        {
            var row = pixels.Slice(((y0 + y) * image.Width + x0) * 3, Width * 3);
            var outRow = y * Width;
            for (var x = 0; x < Width; x++)
            {
                var sx = (mirror ? Width - 1 - x : x) * 3;
                p0[outRow + x] = row[sx + c0] * a[0] + b[0];
                p1[outRow + x] = row[sx + 1] * a[1] + b[1];
                p2[outRow + x] = row[sx + c2] * a[2] + b[2];
            }
        }
    }
}
