using Cascade.Inference.Batching;
using Cascade.Inference.Packs;
using Cascade.Inference.Pipeline;
using Xunit.Abstractions;

namespace Cascade.Inference.Tests;

/// <summary>
/// ImageNet sample photos must come out as their own ImageNet class with both preprocessing conventions
/// (MobileNetV2: RGB, /255, mean/std; SqueezeNet: BGR, 0..255, mean only). A wrong channel order or
/// normalisation collapses top-1 accuracy, so this pins the manifests and the tensor writer.
/// </summary>
public class PreprocessingParityTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dictionary<string, int>> ClassOfWnid = new(() =>
        File.ReadLines(Path.Combine(SharedAssets.Models, "imagenet_synset.txt"))
            .Select((line, index) => (Wnid: line.Split(' ')[0], index))
            .ToDictionary(x => x.Wnid, x => x.index));

    [Theory]
    [InlineData("gate-mobilenetv2-int8", 0.70)]
    [InlineData("classifier-mobilenetv2-fp32", 0.70)]
    [InlineData("squeezenet1.1-fp32", 0.50)]
    [InlineData("squeezenet1.1-fp16", 0.50)]
    public async Task ImageNet_samples_get_their_own_class(string pack, double floor)
    {
        var store = SharedAssets.Store();
        await using var scorer = Scorer(store, pack);
        var samples = SharedAssets.Photos("negatives").Concat(SharedAssets.Photos("extra_bears"))
            .Where(p => Path.GetFileName(p).StartsWith("imagenet_n"))
            .Take(200)
            .ToList();
        var correct = 0;
        foreach (var sample in samples)
        {
            var wnid = Path.GetFileName(sample).Split('_')[1];
            var probabilities = (await scorer.ScoreAsync(await File.ReadAllBytesAsync(sample))).Probabilities;
            if (Array.IndexOf(probabilities, probabilities.Max()) == ClassOfWnid.Value[wnid]) correct++;
        }
        var top1 = (double)correct / samples.Count;
        output.WriteLine($"{pack}: top-1 {top1:0.000} on {samples.Count} ImageNet samples");
        top1.Should().BeGreaterThanOrEqualTo(floor);
    }

    [Theory]
    [InlineData("gate-mobilenetv2-int8")]
    [InlineData("squeezenet1.1-fp32")]
    public async Task Brown_bear_sample_is_class_294(string pack)
    {
        var store = SharedAssets.Store();
        await using var scorer = Scorer(store, pack);
        var probabilities = (await scorer.ScoreAsync(await File.ReadAllBytesAsync(Path.Combine(SharedAssets.Data, "extra_bears", "imagenet_n02132136_brown_bear.jpg")))).Probabilities;
        Array.IndexOf(probabilities, probabilities.Max()).Should().Be(294);
        probabilities.Sum().Should().BeApproximately(1f, 1e-3f, "the manifest's activation yields a distribution");
    }

    private static ModelScorer Scorer(ModelStore store, string pack)
    {
        var stage = store.LoadStage(pack);
        return new ModelScorer(new DynamicBatcher(stage.Backbone, new BatchingOptions()), stage.Head, store.Decoder);
    }
}
