using Cascade.Imaging;

namespace Cascade.Inference.Tests;

/// <summary>Images of every kind the decoder must handle, made with libvips from known pixels.</summary>
public static class TestImages
{
    /// <summary>Left half red, right half blue: orientation and channel order are visible in the pixels.</summary>
    public static byte[] SplitRgb(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                if (x < width / 2) pixels[i] = 255;
                else pixels[i + 2] = 255;
            }
        return pixels;
    }

    public static byte[] Jpeg(int width = 64, int height = 48) => ImageEncoder.Encode(SplitRgb(width, height), width, height, 3, ".jpg[Q=95]");

    public static byte[] Solid(byte value, int bands, int width = 32, int height = 32) => Enumerable.Repeat(value, width * height * bands).ToArray();
}
