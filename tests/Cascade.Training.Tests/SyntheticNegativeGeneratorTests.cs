using Cascade.Training.Synthetic;

namespace Cascade.Training.Tests;

public class SyntheticNegativeGeneratorTests
{
    [Fact]
    public void Same_seed_and_index_give_identical_images()
    {
        using var a = new SyntheticNegativeGenerator(seed: 7).Generate(3);
        using var b = new SyntheticNegativeGenerator(seed: 7).Generate(3);
        a.Pixels.SequenceEqual(b.Pixels).Should().BeTrue();
        new SyntheticNegativeGenerator(7).ContentHash(3).Should().Be(new SyntheticNegativeGenerator(7).ContentHash(3));
    }

    [Fact]
    public void Image_depends_on_index_not_on_generation_order()
    {
        var generator = new SyntheticNegativeGenerator(seed: 7);
        using var late = generator.Generate(5);
        using var first = generator.Generate(0);
        using var again = new SyntheticNegativeGenerator(seed: 7).Generate(5);
        late.Pixels.SequenceEqual(again.Pixels).Should().BeTrue();
    }

    [Fact]
    public void Pinned_image_is_stable_across_runs()
    {
        // Seeded System.Random is a fixed algorithm and the seed comes from a sha256, so the pixels are pinned;
        // a change here would silently reuse stale cached embeddings of synthetic negatives.
        using var image = new SyntheticNegativeGenerator(seed: 1, size: 64).Generate(0);
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Pixels))[..16].Should().Be("4022c1f059d98387");
    }

    [Fact]
    public void Different_seeds_or_indices_differ_and_images_are_made_of_many_squares()
    {
        using var a = new SyntheticNegativeGenerator(seed: 1).Generate(0);
        using var b = new SyntheticNegativeGenerator(seed: 2).Generate(0);
        using var c = new SyntheticNegativeGenerator(seed: 1).Generate(1);
        a.Pixels.SequenceEqual(b.Pixels).Should().BeFalse();
        a.Pixels.SequenceEqual(c.Pixels).Should().BeFalse();
        a.Width.Should().Be(256);
        a.Height.Should().Be(256);

        var colours = new HashSet<int>();
        for (var p = 0; p < a.Pixels.Length; p += 3) colours.Add(a.Pixels[p] << 16 | a.Pixels[p + 1] << 8 | a.Pixels[p + 2]);
        colours.Count.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Smallest_squares_are_at_least_the_minimum_size()
    {
        using var image = new SyntheticNegativeGenerator(seed: 3, size: 64, minSquare: 8, splitProbability: 1).Generate(0);
        // Fully split down to 8-pixel squares: every 8x8 block is one colour.
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++)
        {
            var p = (y * 64 + x) * 3;
            var q = ((y / 8 * 8) * 64 + x / 8 * 8) * 3;
            image.Pixels.Slice(p, 3).SequenceEqual(image.Pixels.Slice(q, 3)).Should().BeTrue();
        }
    }
}
