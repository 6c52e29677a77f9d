using System.Runtime.InteropServices;
using Cascade.Imaging.Interop;

namespace Cascade.Imaging;

/// <summary>Sample format of raw pixels handed to <see cref="ImageEncoder"/>.</summary>
public enum PixelFormat
{
    UInt8 = 0,
    UInt16 = 2,
}

/// <summary>How libvips should read the bands of raw pixels (values of VipsInterpretation).</summary>
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
    public static unsafe byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bands, string suffix,
        PixelFormat format = PixelFormat.UInt8, PixelInterpretation interpretation = PixelInterpretation.SRgb, int? exifOrientation = null)
    {
        var bytesPerSample = format == PixelFormat.UInt16 ? 2 : 1;
        if (pixels.Length != width * height * bands * bytesPerSample)
            throw new ArgumentException($"{width}x{height}x{bands} {format} needs {width * height * bands * bytesPerSample} bytes, got {pixels.Length}.");
        VipsRuntime.EnsureInitialized();
        nint raw, typed = 0, buffer = 0;
        fixed (byte* data = pixels)
        {
            raw = LibVips.vips_image_new_from_memory_copy(data, (nuint)pixels.Length, width, height, bands, (int)format);
        }
        if (raw == 0) throw new InvalidOperationException($"vips_image_new_from_memory_copy: {VipsRuntime.TakeError()}");
        try
        {
            if (LibVips.vips_copy(raw, out typed, "interpretation", (int)interpretation, 0) != 0)
                throw new InvalidOperationException($"vips_copy: {VipsRuntime.TakeError()}");
            if (exifOrientation is { } orientation) LibVips.vips_image_set_int(typed, "orientation", orientation);
            if (LibVips.vips_image_write_to_buffer(typed, suffix, out buffer, out var size, 0) != 0)
                throw new InvalidOperationException($"Encoding {suffix}: {VipsRuntime.TakeError()}");
            var encoded = new byte[(int)size];
            Marshal.Copy(buffer, encoded, 0, encoded.Length);
            return encoded;
        }
        finally
        {
            if (buffer != 0) LibVips.g_free(buffer);
            if (typed != 0) LibVips.g_object_unref(typed);
            LibVips.g_object_unref(raw);
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
