using Cascade.PeerBenchmarks.Packs;

namespace Cascade.PeerBenchmarks.MlNet;

/// <summary>
/// The step ML.NET's image transforms lack, as a CustomMapping: the centre width x height window of ExtractPixels'
/// short-side square, normalized per channel (ExtractPixels has one offset and one scale for all channels).
/// </summary>
public sealed class CentreCropNormalizer(InputSpec input)
{
    private readonly PixelNormalization _normalization = new(input);

    public void Map(PixelsRow source, TensorRow destination)
    {
        var (side, width, height) = (input.ShortSide, input.Width, input.Height);
        var (left, top) = ((side - width) / 2, (side - height) / 2);
        if (destination.Tensor.Length != 3 * width * height) destination.Tensor = new float[3 * width * height];
        for (var c = 0; c < 3; c++)
        {
            var (factor, offset) = (_normalization.Factor[c], _normalization.Offset[c]);
            for (var y = 0; y < height; y++)
            {
                var from = source.Pixels.AsSpan((c * side + top + y) * side + left, width);
                var to = destination.Tensor.AsSpan((c * height + y) * width, width);
                for (var x = 0; x < width; x++) to[x] = from[x] * factor + offset;
            }
        }
    }
}
