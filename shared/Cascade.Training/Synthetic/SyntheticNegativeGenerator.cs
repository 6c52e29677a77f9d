using System.Security.Cryptography;
using System.Text;
using Cascade.Imaging;

namespace Cascade.Training.Synthetic;

/// <summary>
/// Endless "no object" images: a square split recursively into 1 or 4 squares of random colours, down to
/// <see cref="MinSquare"/> pixels. Flat areas, hard edges and noise-like detail cover inputs real photos
/// rarely do (screenshots, diagrams, blank frames), so the gate learns that "not a bear" is more than photos.
/// Image i depends only on (seed, i, size): the same seed gives the same images on every run and machine.
/// </summary>
public sealed class SyntheticNegativeGenerator
{
    private readonly double _splitProbability;

    public SyntheticNegativeGenerator(int seed, int size = 256, int minSquare = 4, double splitProbability = 0.7)
    {
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), "Synthetic images must be at least 8 pixels.");
        if (minSquare < 1) throw new ArgumentOutOfRangeException(nameof(minSquare), "The smallest square must be at least 1 pixel.");
        if (splitProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(splitProbability));
        Seed = seed;
        Size = size;
        MinSquare = minSquare;
        _splitProbability = splitProbability;
    }

    public int Seed { get; }
    public int Size { get; }
    public int MinSquare { get; }

    /// <summary>A stable id for image <paramref name="index"/>, used as its content hash (split and embedding cache key).</summary>
    public string ContentHash(int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"synthetic-squares:v1:{Seed}:{index}:{Size}:{MinSquare}:{_splitProbability}")));

    public DecodedImage Generate(int index)
    {
        var pixels = new byte[Size * Size * 3];
        // Seeded System.Random uses a fixed algorithm, so the sequence is stable across runs; HashCode is not
        // (randomised per process), hence the seed comes from the content hash.
        var random = new Random(Convert.ToInt32(ContentHash(index)[..7], 16));
        Fill(pixels, random, 0, 0, Size, depth: 0);
        return DecodedImage.FromRgb(pixels, Size, Size);
    }

    private void Fill(byte[] pixels, Random random, int x, int y, int side, int depth)
    {
        // The whole image nearly always splits once: a few flat frames are realistic negatives too.
        var split = side / 2 >= MinSquare && (depth == 0 ? random.NextDouble() < 0.97 : random.NextDouble() < _splitProbability);
        if (split)
        {
            var half = side / 2;
            Fill(pixels, random, x, y, half, depth + 1);
            Fill(pixels, random, x + half, y, side - half, depth + 1);
            Fill(pixels, random, x, y + half, half, depth + 1);
            Fill(pixels, random, x + half, y + half, side - half, depth + 1);
            return;
        }
        var (r, g, b) = ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        for (var row = y; row < y + side && row < Size; row++)
        {
            var offset = (row * Size + x) * 3;
            for (var col = 0; col < side && x + col < Size; col++, offset += 3)
            {
                pixels[offset] = r;
                pixels[offset + 1] = g;
                pixels[offset + 2] = b;
            }
        }
    }
}
