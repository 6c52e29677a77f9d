using Cascade.Imaging;
using Cascade.Training.Embeddings;

namespace Cascade.Training.Tests;

public class BackboneSpecTests
{
    private static string Pack(string name) => Path.Combine(SharedAssets.ModelDirectory, name);

    [Fact]
    public void A_pack_gives_its_preprocessing_and_its_logits_for_zero_shot_features()
    {
        var spec = BackboneSpec.FromPack(Pack("classifier-mobilenetv2-fp32"), "472_fp", 1280);

        spec.Should().BeEquivalentTo(BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32), o => o.Excluding(s => s.ModelPath).Excluding(s => s.Sha256).Excluding(s => s.CacheKey));
        spec.Sha256.Should().Be(BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32).Sha256);
    }

    [Fact]
    public void A_pack_that_outputs_probabilities_has_no_zero_shot_logits()
    {
        var spec = BackboneSpec.FromPack(Pack("squeezenet1.1-fp32"), "fire9/concat_1", 512);

        spec.LogitsTensor.Should().BeNull();
        spec.Input.ColorOrder.Should().Be(ColorOrder.Bgr);
        var features = () => spec.Features([[294]]);
        features.Should().Throw<ArgumentException>().WithMessage("*logits*");
    }

    [Theory]
    [InlineData("squeezenet1.1-fp16", "*Float16 input*float32*")]
    [InlineData("no-such-pack", "*has no model.json*")]
    public void Unusable_packs_are_refused_with_the_reason(string pack, string message)
    {
        var load = () => BackboneSpec.FromPack(Pack(pack), "x", 10);
        load.Should().Throw<ArgumentException>().WithMessage(message);
    }
}
