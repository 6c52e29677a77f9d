using System.Buffers;

namespace Cascade.Imaging;

/// <summary>An 8-bit sRGB image, 3 interleaved channels (HWC), in a pooled buffer: dispose it.</summary>
public sealed class DecodedImage : IDisposable
{
    private byte[]? _pixels;

    internal DecodedImage(byte[] pooledPixels, int width, int height)
    {
        _pixels = pooledPixels;
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }

    public ReadOnlySpan<byte> Pixels => (_pixels ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, Width * Height * 3);

    /// <summary>Builds an image from RGB bytes (tests, synthetic data).</summary>
    public static DecodedImage FromRgb(ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (rgb.Length != width * height * 3) throw new ArgumentException($"Expected {width * height * 3} bytes for {width}x{height} RGB, got {rgb.Length}.");
        var buffer = ArrayPool<byte>.Shared.Rent(rgb.Length);
        rgb.CopyTo(buffer);
        return new DecodedImage(buffer, width, height);
    }

    public void Dispose()
    {
        var pixels = Interlocked.Exchange(ref _pixels, null);
        if (pixels is not null) ArrayPool<byte>.Shared.Return(pixels);
    }
}
