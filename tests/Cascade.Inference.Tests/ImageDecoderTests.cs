using System.Buffers.Binary;
using System.Diagnostics;
using Cascade.Imaging;

namespace Cascade.Inference.Tests;

[Collection(MemoryMeasurement.Name)]
public class ImageDecoderTests
{
    private static readonly ResizeSpec Small = new(ResizeMode.ShortSideCrop, 16, 16, 16);
    private readonly ImageDecoder _decoder = new();

    private static ImageException Refusal(Action decode)
    {
        var thrown = decode.Should().Throw<ImageException>().Which;
        thrown.Message.Should().NotBeNullOrWhiteSpace();
        return thrown;
    }

    [Fact]
    public void Empty_input_is_refused() =>
        Refusal(() => _decoder.Decode([], Small)).ErrorCode.Should().Be("IMAGE_EMPTY");

    [Fact]
    public void Input_over_the_byte_limit_is_refused_before_decoding()
    {
        var decoder = new ImageDecoder(new ImageLimits { MaxBytes = 100 });
        var error = Refusal(() => decoder.Decode(TestImages.Jpeg(), Small));
        error.Code.Should().Be(ImageErrorCode.TooLarge);
        error.Message.Should().Contain("limit is 100");
    }

    [Fact]
    public void Decompression_bomb_is_refused_from_its_header()
    {
        // 50000 x 50000 RGB PNG whose pixel data is a few bytes: 2.5 gigapixels if anyone decoded it.
        var bomb = PngFile.HeaderOnly(50_000, 50_000);
        bomb.Length.Should().BeLessThan(200);
        var stopwatch = Stopwatch.StartNew();
        var error = Refusal(() => _decoder.Decode(bomb, Small));
        error.Code.Should().Be(ImageErrorCode.TooManyPixels);
        error.Message.Should().Contain("50000x50000");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "only the header may be read");
    }

    [Fact]
    public void Unknown_format_is_refused() =>
        Refusal(() => _decoder.Decode("just some text, not an image"u8.ToArray(), Small)).Code.Should().Be(ImageErrorCode.UnsupportedFormat);

    [Fact]
    public void Truncated_jpeg_is_refused_as_corrupt()
    {
        var photo = File.ReadAllBytes(SharedAssets.Photos("bears/grizzly")[0]);
        Refusal(() => _decoder.Decode(photo.AsSpan(0, photo.Length / 2), Small)).Code.Should().Be(ImageErrorCode.Corrupt);
    }

    [Fact]
    public void Jpeg_marker_followed_by_garbage_is_refused_as_corrupt()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0xFF; garbage[1] = 0xD8; garbage[2] = 0xFF;
        Refusal(() => _decoder.Decode(garbage, Small)).Code.Should().Be(ImageErrorCode.Corrupt);
    }

    [Theory]
    [InlineData(".jpg[Q=95]")]
    [InlineData(".png")]
    [InlineData(".webp[lossless]")]
    [InlineData(".gif")]
    [InlineData(".tif")]
    public void Common_formats_decode_to_rgb(string suffix)
    {
        var encoded = ImageEncoder.Encode(TestImages.SplitRgb(64, 64), 64, 64, 3, suffix);
        using var image = _decoder.Decode(encoded, new ResizeSpec(ResizeMode.Stretch, 32, 32, 0));
        (image.Width, image.Height).Should().Be((32, 32));
        var left = Pixel(image, 2, 16);
        var right = Pixel(image, 29, 16);
        left.R.Should().BeGreaterThan(200); left.B.Should().BeLessThan(60);
        right.B.Should().BeGreaterThan(200); right.R.Should().BeLessThan(60);
    }

    [Theory]
    [InlineData(24)] // shrinking: libvips thumbnail
    [InlineData(96)] // enlarging: decode, then managed bilinear
    public void Exif_orientation_is_applied(int shortSide)
    {
        // Stored landscape, red left; orientation 6 means "rotate 90 degrees clockwise to display", so red ends on top.
        var encoded = ImageEncoder.Encode(TestImages.SplitRgb(64, 48), 64, 48, 3, ".jpg[Q=95]", exifOrientation: 6);
        using var image = _decoder.Decode(encoded, new ResizeSpec(ResizeMode.ShortSideCrop, shortSide, shortSide, shortSide));
        image.Width.Should().Be(shortSide);
        image.Height.Should().Be(shortSide * 4 / 3);
        Pixel(image, shortSide / 2, 2).R.Should().BeGreaterThan(200);
        Pixel(image, shortSide / 2, image.Height - 3).B.Should().BeGreaterThan(200);
    }

    [Fact]
    public void Enlarging_keeps_colours_and_edges()
    {
        using var image = _decoder.Decode(TestImages.Jpeg(64, 48), ResizeSpec.ImageNet);
        (image.Width, image.Height).Should().Be((341, 256));
        Pixel(image, 10, 128).R.Should().BeGreaterThan(200);
        Pixel(image, 330, 128).B.Should().BeGreaterThan(200);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    public void Cmyk_jpeg_is_converted_to_srgb(int shortSide)
    {
        var cyan = Enumerable.Range(0, 32 * 32).SelectMany(_ => new byte[] { 255, 0, 0, 0 }).ToArray();
        var encoded = ImageEncoder.Encode(cyan, 32, 32, 4, ".jpg[Q=95]", interpretation: PixelInterpretation.Cmyk);
        using var image = _decoder.Decode(encoded, new ResizeSpec(ResizeMode.ShortSideCrop, shortSide, shortSide, shortSide));
        var (r, g, b) = Pixel(image, 8, 8);
        r.Should().BeLessThan(120, "cyan has little red");
        g.Should().BeGreaterThan(120);
        b.Should().BeGreaterThan(180);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    public void Transparent_png_is_flattened_on_white(int shortSide)
    {
        var transparentBlack = new byte[32 * 32 * 4];
        using var image = _decoder.Decode(ImageEncoder.Encode(transparentBlack, 32, 32, 4, ".png"), new ResizeSpec(ResizeMode.ShortSideCrop, shortSide, shortSide, shortSide));
        Pixel(image, 8, 8).Should().Be(((byte)255, (byte)255, (byte)255));
    }

    [Fact]
    public void Grayscale_becomes_three_equal_channels()
    {
        using var image = _decoder.Decode(ImageEncoder.Encode(TestImages.Solid(128, 1), 32, 32, 1, ".png", interpretation: PixelInterpretation.Grey), Small);
        Pixel(image, 8, 8).Should().Be(((byte)128, (byte)128, (byte)128));
    }

    [Fact]
    public void Sixteen_bit_png_becomes_eight_bit()
    {
        var pixels = new byte[32 * 32 * 3 * 2];
        for (var i = 0; i < 32 * 32; i++) BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(i * 6), 65535); // red at full scale
        var encoded = ImageEncoder.Encode(pixels, 32, 32, 3, ".png", PixelFormat.UInt16, PixelInterpretation.Rgb16);
        using var image = _decoder.Decode(encoded, Small);
        var (r, g, b) = Pixel(image, 8, 8);
        r.Should().BeGreaterThan(240);
        g.Should().BeLessThan(15);
        b.Should().BeLessThan(15);
    }

    [Fact]
    public void Thousands_of_bad_inputs_leave_memory_flat()
    {
        var photo = File.ReadAllBytes(SharedAssets.Photos("bears/black")[0]);
        var random = new Random(11);
        var inputs = new List<byte[]>
        {
            photo[..(photo.Length / 3)],
            photo[..(photo.Length * 2 / 3)],
            PngFile.HeaderOnly(40_000, 40_000),
            "GIF89a not really"u8.ToArray(),
        };
        for (var i = 0; i < 4; i++)
        {
            var damaged = (byte[])photo.Clone();
            for (var j = 0; j < 64; j++) damaged[random.Next(200, damaged.Length)] = (byte)random.Next(256);
            inputs.Add(damaged);
        }

        void DecodeAll(int rounds)
        {
            for (var round = 0; round < rounds; round++)
                foreach (var input in inputs)
                {
                    try
                    {
                        using var _ = _decoder.Decode(input, ResizeSpec.ImageNet);
                    }
                    catch (ImageException)
                    {
                    }
                }
        }

        DecodeAll(50); // warm up allocators and caches
        var before = SettledMemory();
        DecodeAll(400); // 3,200 decodes
        var growth = SettledMemory() - before;
        Console.WriteLine($"memory growth over 3,200 bad decodes: {growth / 1024} KiB");
        growth.Should().BeLessThan(24L * 1024 * 1024, "native buffers of refused images must be freed");
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private static (byte R, byte G, byte B) Pixel(DecodedImage image, int x, int y)
    {
        var i = (y * image.Width + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }
}
