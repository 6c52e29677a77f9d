using Cascade.Training.Data;
using Cascade.Training.Embeddings;

namespace Cascade.Training.Tests;

public class EmbeddingCacheTests
{
    [Fact]
    public async Task Cached_embeddings_are_reused_only_for_the_same_backbone_preprocessing()
    {
        using var temp = new TempDirectory();
        var cache = new EmbeddingCache(temp.Path);
        var dataset = ImageFolderDataset.Scan(SubsetTrainingFixture.Dataset(perFolder: 2));
        var backbone = BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32);
        // The view key ("centre") is the same for both; only the backbone's input short side differs.
        var wider = backbone with { Input = backbone.Input with { ShortSide = 224 } };
        List<EmbeddingRequest> Requests(BackboneSpec spec) =>
            dataset.Samples.Select(s => EmbeddingRequest.ForFile(s.Path, s.ContentHash, AugmentationView.Centre(spec.Input.ShortSide))).ToList();

        using var first = new EmbeddingExtractor(backbone, cache);
        var original = await first.ExtractAsync(Requests(backbone));
        using var again = new EmbeddingExtractor(backbone, cache);
        (await again.ExtractAsync(Requests(backbone))).Should().BeEquivalentTo(original, o => o.WithStrictOrdering());
        again.LastComputed.Should().Be(0);

        using var other = new EmbeddingExtractor(wider, cache);
        var widerEmbeddings = await other.ExtractAsync(Requests(wider));
        other.LastComputed.Should().Be(dataset.Samples.Count);
        widerEmbeddings[0].Should().NotEqual(original[0]);
    }
}
