using System.Buffers;

namespace Cascade.Imaging;

/// <summary>
/// Bilinear resampling of interleaved RGB bytes, half-pixel centred (PIL / torchvision convention).
/// Used for upscaling small photos: libvips' resize is built for shrinking and costs several
/// milliseconds to enlarge a 320-pixel photo, this costs a fraction of one.
/// </summary>
internal static class BilinearResize
{
    public static void Resize(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, Span<byte> destination, int width, int height)
    {
        var scaleX = (float)sourceWidth / width;
        var scaleY = (float)sourceHeight / height;
        var rented = ArrayPool<(int Left, int Right, float Weight)>.Shared.Rent(width);
        try
        {
            var columns = rented.AsSpan(0, width);
            for (var x = 0; x < width; x++) columns[x] = Tap((x + 0.5f) * scaleX - 0.5f, sourceWidth);
            Rows(source, sourceWidth, sourceHeight, destination, width, height, scaleY, columns);
        }
        finally
        {
            ArrayPool<(int, int, float)>.Shared.Return(rented);
        }
    }

    private static void Rows(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, Span<byte> destination, int width, int height,
        float scaleY, ReadOnlySpan<(int Left, int Right, float Weight)> columns)
    {

        var sourceStride = sourceWidth * 3;
        for (var y = 0; y < height; y++)
        {
            var (top, bottom, wy) = Tap((y + 0.5f) * scaleY - 0.5f, sourceHeight);
            var upper = source.Slice(top * sourceStride, sourceStride);
            var lower = source.Slice(bottom * sourceStride, sourceStride);
            var output = destination.Slice(y * width * 3, width * 3);
            for (var x = 0; x < width; x++)
            {
                var (left, right, wx) = columns[x];
                var l = left * 3;
                var r = right * 3;
                for (var c = 0; c < 3; c++)
                {
                    var a = upper[l + c] + (upper[r + c] - upper[l + c]) * wx;
                    var b = lower[l + c] + (lower[r + c] - lower[l + c]) * wx;
                    output[x * 3 + c] = (byte)(a + (b - a) * wy + 0.5f);
                }
            }
        }
    }

    private static (int Low, int High, float Weight) Tap(float position, int size)
    {
        var clamped = Math.Clamp(position, 0, size - 1);
        var low = (int)clamped;
        var high = Math.Min(low + 1, size - 1);
        return (low, high, clamped - low);
    }
}
