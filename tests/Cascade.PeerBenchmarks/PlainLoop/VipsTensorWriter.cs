using Cascade.PeerBenchmarks.Packs;
using NetVips;

namespace Cascade.PeerBenchmarks.PlainLoop;

/// <summary>
/// One image file into one model input with libvips: thumbnail to the short-side square (shrink-on-load, EXIF
/// orientation applied), sRGB, the centre width x height window, normalized into CHW floats.
/// </summary>
public sealed class VipsTensorWriter(InputSpec input)
{
    private readonly PixelNormalization _normalization = new(input);

    public void Write(string file, Span<float> tensor)
    {
        var (side, width, height) = (input.ShortSide, input.Width, input.Height);
        using var square = Image.Thumbnail(file, side, height: side, crop: Enums.Interesting.Centre);
        // Grey and CMYK images become sRGB; an alpha band is dropped.
        using var srgb = square.Colourspace(Enums.Interpretation.Srgb);
        using var rgb = srgb.ExtractBand(0, n: 3);
        using var window = rgb.Crop((side - width) / 2, (side - height) / 2, width, height);
        var pixels = window.WriteToMemory<byte>();

        var plane = width * height;
        for (var c = 0; c < 3; c++)
        {
            var (factor, offset) = (_normalization.Factor[c], _normalization.Offset[c]);
            var to = tensor.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) to[i] = pixels[i * 3 + c] * factor + offset;
        }
    }
}
