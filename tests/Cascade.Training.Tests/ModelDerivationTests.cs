using System.Security.Cryptography;
using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.Inference.Runtime;
using Cascade.Training.Derivations;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Cascade.Training.Tests;

/// <summary>
/// The recipes `cascade models pull` derives the two packs without a download of their own with: their output is
/// pinned by the packs' sha256 (the reference files in ../shared/models, byte for byte), and scores real photos as
/// those files and as the upstream models do.
/// </summary>
public class ModelDerivationTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<string> Photos =
        [.. SharedAssets.Photos("bears/grizzly").Take(4), .. SharedAssets.Photos("bears/black").Take(4), .. SharedAssets.Photos("bears/teddy").Take(4), .. SharedAssets.Photos("negatives").Take(8)];

    [Theory]
    [InlineData("classifier-mobilenetv2-fp32")]
    [InlineData("squeezenet1.1-fp32")]
    public void A_derived_model_is_the_pinned_file_and_scores_photos_exactly_as_the_reference_file(string packName)
    {
        using var temp = new TempDirectory();
        var manifest = ModelManifest.Read(Path.Combine(SharedAssets.Packs, packName, ModelManifest.FileName));
        var derivedFrom = manifest.Model!.DerivedFrom!;
        var recipe = ModelDerivations.All.Single(d => d.Recipe == derivedFrom.Recipe);

        var derived = recipe.Derive(File.ReadAllBytes(Path.Combine(SharedAssets.Models, derivedFrom.MirrorFileName!)));

        Convert.ToHexStringLower(SHA256.HashData(derived)).Should().Be(manifest.Model.Sha256);
        var derivedScores = Score(WritePack(temp.Path, "derived", manifest, derived));
        var referenceScores = Score(WritePack(temp.Path, "reference", manifest, File.ReadAllBytes(Path.Combine(SharedAssets.Models, manifest.Model.MirrorFileName!))));
        derivedScores.Should().Equal(referenceScores);
    }

    [Fact]
    public void The_dequantized_MobileNetV2_agrees_with_the_int8_model_it_comes_from()
    {
        using var temp = new TempDirectory();
        var int8 = Score(Path.Combine(SharedAssets.ModelDirectory, "gate-mobilenetv2-int8"));
        var fp32 = Score(Path.Combine(SharedAssets.ModelDirectory, "classifier-mobilenetv2-fp32"));

        // Same weights; the fp32 graph keeps each activation's range but not its 256-step rounding, and its logits
        // do not saturate, so scores move a little and the top ImageNet class almost never.
        var top1Agreement = Enumerable.Range(0, Photos.Count).Count(i => ArgMax(int8, i) == ArgMax(fp32, i)) / (double)Photos.Count;
        top1Agreement.Should().BeGreaterThanOrEqualTo(0.85);
        var bear = new[] { 294, 295, 296, 297, 850 };
        var bearScoreDifferences = Enumerable.Range(0, Photos.Count).Select(i => Math.Abs(bear.Sum(c => int8[i * 1000 + c]) - bear.Sum(c => fp32[i * 1000 + c]))).ToList();
        output.WriteLine($"{Photos.Count} photos: top-1 agreement {top1Agreement:P0}, bear-group score difference max {bearScoreDifferences.Max():F3}, mean {bearScoreDifferences.Average():F3}");
        bearScoreDifferences.Should().OnlyContain(d => d < 0.25f);
    }

    [Fact]
    public void A_recipe_refuses_a_model_it_was_not_written_for_with_the_operator_it_cannot_handle()
    {
        var dequantize = ModelDerivations.All.Single(d => d.Recipe == "mobilenetv2-int8-to-fp32");

        var notQuantized = () => dequantize.Derive(File.ReadAllBytes(Path.Combine(SharedAssets.Models, "squeezenet1.1-fp16.onnx")));
        var notOnnx = () => dequantize.Derive("not a model"u8.ToArray());

        notQuantized.Should().Throw<InvalidDataException>().WithMessage("*operator Conv is not supported*");
        notOnnx.Should().Throw<InvalidDataException>().WithMessage("not an ONNX model*");
    }

    private static string WritePack(string root, string name, ModelManifest manifest, byte[] model)
    {
        var pack = Path.Combine(root, name);
        Directory.CreateDirectory(pack);
        manifest.Write(Path.Combine(pack, ModelManifest.FileName));
        File.WriteAllBytes(Path.Combine(pack, ModelManifest.ModelFileName), model);
        return pack;
    }

    private static float[] Score(string pack)
    {
        using var model = ModelPack.Load(pack, new SessionFactory(new InferenceOptions { IntraOpThreads = 2 }, NullLogger.Instance));
        return PackScores.Of(model, Photos);
    }

    private static int ArgMax(float[] scores, int photo) => Enumerable.Range(0, 1000).MaxBy(c => scores[photo * 1000 + c]);
}
