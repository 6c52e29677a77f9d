using System.Text;
using Cascade.Imaging;

namespace Cascade.Inference.Tests;

/// <summary>
/// Only the JPEG, PNG, WebP, GIF and TIFF loaders may run on uploads: every other format libvips knows is refused
/// as unsupported before its parser sees the bytes (SVG would fetch external references, the text formats parse
/// numbers, vips-native maps raw memory layouts).
/// </summary>
public class ImageFormatAllowlistTests
{
    private static readonly ResizeSpec Small = new(ResizeMode.ShortSideCrop, 16, 16, 16);
    private readonly ImageDecoder _decoder = new();

    public static TheoryData<string, byte[]> Refused => new()
    {
        { "svg", Encoding.UTF8.GetBytes("<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64'><rect width='64' height='64' fill='red'/></svg>") },
        { "svg with an XML prolog", Encoding.UTF8.GetBytes("<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/>") },
        {
            "svg with an external file reference",
            Encoding.UTF8.GetBytes("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='64' height='64'>" +
                "<image href='file:///etc/passwd' xlink:href='file:///etc/passwd' width='64' height='64'/></svg>")
        },
        { "csv", Encoding.ASCII.GetBytes("1,2,3\n4,5,6\n7,8,9\n") },
        { "matrix", Encoding.ASCII.GetBytes("3 2\n1 2 3\n4 5 6\n") },
        { "ppm", [.. Encoding.ASCII.GetBytes("P6\n2 2\n255\n"), .. new byte[12]] },
        { "pgm text", Encoding.ASCII.GetBytes("P2\n2 2\n255\n0 255\n255 0\n") },
        { "vips native", VipsNativeFile() },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Formats_outside_the_allowlist_are_refused_as_unsupported(string kind, byte[] data)
    {
        var error = _decoder.Invoking(d => d.Decode(data, Small)).Should().Throw<ImageException>().Which;
        error.Code.Should().Be(ImageErrorCode.UnsupportedFormat, kind);
        error.ErrorCode.Should().Be("IMAGE_UNSUPPORTED_FORMAT");
    }

    [Fact]
    public void Heif_and_avif_are_refused_although_libvips_could_load_them()
    {
        // The bundled libvips writes AVIF (HEIF container), so the loader exists; the server does not run it.
        var avif = ImageEncoder.Encode(TestImages.SplitRgb(64, 64), 64, 64, 3, ".avif");
        _decoder.Invoking(d => d.Decode(avif, Small)).Should().Throw<ImageException>()
            .Which.Code.Should().Be(ImageErrorCode.UnsupportedFormat);
    }

    /// <summary>A real image in libvips' own format: it can be written (savers are not blocked), not read.</summary>
    private static byte[] VipsNativeFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cascade-{Guid.NewGuid():N}.v");
        try
        {
            using (var image = NetVips.Image.Black(4, 4, bands: 3)) image.WriteToFile(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
