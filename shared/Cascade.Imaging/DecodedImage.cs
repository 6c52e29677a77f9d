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

    /// <summary>Reads exactly <paramref name="width"/> x <paramref name="height"/> RGB pixels from <paramref name="stream"/> into a pooled buffer.</summary>
    /// <exception cref="InvalidDataException">The stream holds fewer or more bytes than that.</exception>
    public static async Task<DecodedImage> ReadRgbAsync(Stream stream, int width, int height, CancellationToken cancellationToken = default)
    {
        if (width < 1 || height < 1 || (long)width * height > ImageLimits.DefaultMaxPixels)
            throw new InvalidDataException($"{width}x{height} is not a valid image size.");
        var length = width * height * 3;
        var buffer = ArrayPool<byte>.Shared.Rent(length + 1);
        try
        {
            var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, length + 1), length + 1, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read != length) throw new InvalidDataException($"Expected {length} bytes of {width}x{height} RGB, got {(read > length ? "more" : read.ToString())}.");
            return new DecodedImage(buffer, width, height);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>The pixels as a read-only stream (valid until disposed).</summary>
    public Stream OpenRead() => new MemoryStream(_pixels ?? throw new ObjectDisposedException(nameof(DecodedImage)), 0, Width * Height * 3, writable: false);

    public void Dispose()
    {
        var pixels = Interlocked.Exchange(ref _pixels, null);
        if (pixels is not null) ArrayPool<byte>.Shared.Return(pixels);
    }
}
