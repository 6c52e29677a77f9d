namespace Cascade.PeerBenchmarks.Packs;

/// <summary>
/// value = (pixel * scale - mean) / std for each RGB channel (packs/README.md), folded into one multiply-add:
/// value = pixel * <see cref="Factor"/>[c] + <see cref="Offset"/>[c].
/// </summary>
public sealed class PixelNormalization
{
    public PixelNormalization(InputSpec input)
    {
        for (var c = 0; c < 3; c++)
        {
            Factor[c] = input.Scale / input.Std[c];
            Offset[c] = -input.Mean[c] / input.Std[c];
        }
    }

    public float[] Factor { get; } = new float[3];
    public float[] Offset { get; } = new float[3];
}
