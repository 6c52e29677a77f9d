using System.Diagnostics;
using System.IO.Compression;
using Cascade.Imaging;
using Xunit.Abstractions;

namespace Cascade.Inference.Tests;

/// <summary>
/// Extreme aspect ratios inside the pixel limit: for short-side resizing only the centre, at most
/// <see cref="ImageDecoder.MaxDecodedAspectRatio"/>:1, is decoded and resized, so time and memory stay bounded
/// (a 100x400,000 strip used to be enlarged to 256x1,024,000: 5 s and 1 GB).
/// </summary>
[Collection(MemoryMeasurement.Name)]
public class ImageAspectTests(ITestOutputHelper output)
{
    private static readonly byte[] Red = [255, 0, 0];
    private static readonly byte[] Blue = [0, 0, 255];
    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void Tall_strip_is_centre_cropped_before_enlarging()
    {
        // 100x400,000 = 40 MP, just inside the limit; red only in the 400 rows around the centre.
        var strip = Striped(100, 400_000, centre: 400, vertical: true);
        var (image, elapsed, memory) = Measure(strip, ResizeSpec.ImageNet);
        using (image)
        {
            (image.Width, image.Height).Should().Be((256, 1024));
            AllPixels(image).Should().OnlyContain(p => p.R > 200 && p.B < 60, "only the centre 100x400 (4:1) is used");
        }
        // Used to be 5 s and 1 GB; time is loose (shared machines), memory is the sharp check.
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4));
        memory.Should().BeLessThan(200L * 1024 * 1024);
    }

    [Fact]
    public void Tall_strip_wider_than_the_short_side_is_shrunk_and_cropped()
    {
        // 1000x40,000: shrinking path (thumbnail covers 256x1024, then cuts the centre).
        var strip = Striped(1000, 40_000, centre: 4000, vertical: true);
        var (image, elapsed, memory) = Measure(strip, ResizeSpec.ImageNet);
        using (image)
        {
            (image.Width, image.Height).Should().Be((256, 1024));
            AllPixels(image).Should().OnlyContain(p => p.R > 200 && p.B < 60);
        }
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        memory.Should().BeLessThan(200L * 1024 * 1024);
    }

    [Theory]
    [InlineData(40_000_000, 1)]
    [InlineData(1, 40_000_000)]
    [InlineData(400_000, 39)] // just over 10,000:1
    public void Images_beyond_10000_to_1_are_refused_from_the_header(int width, int height)
    {
        // Decoding a 40,000,000x1 PNG costs libvips 5 s and 500 MB for 4 useful pixels.
        var line = PngFile.HeaderOnly(width, height);
        var stopwatch = Stopwatch.StartNew();
        var error = _decoder.Invoking(d => d.Decode(line, ResizeSpec.ImageNet)).Should().Throw<ImageException>().Which;
        error.ErrorCode.Should().Be("IMAGE_TOO_MANY_PIXELS");
        error.Message.Should().Contain($"{width}x{height}").And.Contain("10,000 times");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "only the header may be read");
    }

    [Fact]
    public void Stretch_resizing_of_a_strip_stays_bounded()
    {
        var strip = Striped(100, 400_000, centre: 400, vertical: true);
        var (image, elapsed, memory) = Measure(strip, new ResizeSpec(ResizeMode.Stretch, 32, 32, 0));
        using (image) (image.Width, image.Height).Should().Be((32, 32));
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        memory.Should().BeLessThan(200L * 1024 * 1024);
    }

    [Theory]
    [InlineData(64, 48, 341, 256)] // a photo: untouched
    [InlineData(64, 256, 256, 1024)] // exactly 4:1: untouched
    [InlineData(256, 64, 1024, 256)]
    [InlineData(64, 300, 256, 1024)] // beyond 4:1: the centre 64x256 is used
    [InlineData(1200, 250, 1024, 256)] // shrinking side, beyond 4:1
    [InlineData(1200, 300, 1024, 256)] // shrinking, exactly 4:1
    [InlineData(1000, 300, 853, 256)] // shrinking, within
    public void Only_images_beyond_4_to_1_are_cropped(int width, int height, int expectedWidth, int expectedHeight)
    {
        using var image = _decoder.Decode(TestImages.Jpeg(width, height), ResizeSpec.ImageNet);
        (image.Width, image.Height).Should().Be((expectedWidth, expectedHeight));
    }

    private (DecodedImage Image, TimeSpan Elapsed, long Memory) Measure(byte[] png, ResizeSpec spec)
    {
        DecodedImage? image = null;
        var stopwatch = new Stopwatch();
        var memory = PeakMemory.GrowthDuring(() =>
        {
            stopwatch.Start();
            image = _decoder.Decode(png, spec);
            stopwatch.Stop();
        });
        output.WriteLine($"{png.Length:N0}-byte PNG -> {image!.Width}x{image.Height} in {stopwatch.ElapsedMilliseconds} ms, peak memory +{memory / (1024 * 1024)} MiB");
        return (image, stopwatch.Elapsed, memory);
    }

    /// <summary>An RGB PNG, blue except for <paramref name="centre"/> red rows (or columns) in the middle of the long side.</summary>
    private static byte[] Striped(int width, int height, int centre, bool vertical)
    {
        var length = vertical ? height : width;
        var (from, to) = ((length - centre) / 2, (length + centre) / 2);
        return PngFile.Rgb(width, height, zlib =>
        {
            var row = new byte[1 + width * 3]; // filter byte 0, then the pixels
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var position = vertical ? y : x;
                    (position >= from && position < to ? Red : Blue).CopyTo(row, 1 + x * 3);
                }
                zlib.Write(row);
            }
        }, CompressionLevel.Fastest);
    }

    private static IEnumerable<(byte R, byte G, byte B)> AllPixels(DecodedImage image)
    {
        var pixels = image.Pixels.ToArray();
        for (var i = 0; i < pixels.Length; i += 3) yield return (pixels[i], pixels[i + 1], pixels[i + 2]);
    }
}
