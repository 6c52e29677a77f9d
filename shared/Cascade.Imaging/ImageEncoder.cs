using NetVips;

namespace Cascade.Imaging;

/// <summary>Sample format of raw pixels handed to <see cref="ImageEncoder"/>.</summary>
public enum PixelFormat
{
    UInt8 = 0,
    UInt16 = 2,
}

/// <summary>How libvips should read the bands of raw pixels (the values are libvips' VipsInterpretation).</summary>
public enum PixelInterpretation
{
    Grey = 1,
    Cmyk = 15,
    SRgb = 22,
    Rgb16 = 25,
    Grey16 = 26,
}

/// <summary>
/// Encodes raw pixels with libvips into any format it writes, chosen by suffix (".jpg[Q=90]", ".png", ".webp",
/// ".gif", ".tif"). Used to make benchmark inputs (large JPEGs) and test images of every kind.
/// </summary>
public static class ImageEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bands, string suffix,
        PixelFormat format = PixelFormat.UInt8, PixelInterpretation interpretation = PixelInterpretation.SRgb, int? exifOrientation = null)
    {
        var bytesPerSample = format == PixelFormat.UInt16 ? 2 : 1;
        if (pixels.Length != width * height * bands * bytesPerSample)
            throw new ArgumentException($"{width}x{height}x{bands} {format} needs {width * height * bands * bytesPerSample} bytes, got {pixels.Length}.");
        VipsRuntime.EnsureInitialized();
        try
        {
            // PixelFormat and PixelInterpretation carry libvips' own enum values.
            using var raw = Image.NewFromMemoryCopy(pixels, width, height, bands, (Enums.BandFormat)(int)format);
            using var typed = raw.Copy(interpretation: (Enums.Interpretation)(int)interpretation);
            using var tagged = exifOrientation is { } orientation ? typed.Mutate(image => image.Set(GValue.GIntType, "orientation", orientation)) : null;
            return (tagged ?? typed).WriteToBuffer(suffix);
        }
        catch (VipsException e)
        {
            throw new InvalidOperationException($"Encoding {width}x{height}x{bands} as {suffix}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Re-encodes <paramref name="image"/> resized to exactly <paramref name="width"/> x <paramref name="height"/> as JPEG (large benchmark inputs).</summary>
    public static byte[] ResizeToJpeg(ReadOnlySpan<byte> image, int width, int height, int quality = 90)
    {
        var decoder = new ImageDecoder(new ImageLimits { MaxPixels = long.MaxValue, MaxBytes = long.MaxValue });
        using var resized = decoder.Decode(image, new ResizeSpec(ResizeMode.Stretch, width, height, 0));
        return Encode(resized.Pixels, resized.Width, resized.Height, 3, $".jpg[Q={quality}]");
    }
}
