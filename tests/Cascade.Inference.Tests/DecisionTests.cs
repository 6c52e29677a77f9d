using Cascade.Imaging;
using Cascade.Inference.Decisions;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Tests;

public class DecisionTests
{
    private static ModelManifest Manifest(ClassifierDecision? classifier = null, GateDecision? gate = null) => new()
    {
        Name = "test",
        Version = "1",
        Model = new ModelSource { Sha256 = new string('a', 64) },
        Input = new InputSpec { Name = "input", Width = 4, Height = 4, ShortSide = 4 },
        Output = new OutputSpec { Name = "output", Classes = 4, Activation = OutputActivation.Sigmoid },
        Groups = new Dictionary<string, int[]> { ["object"] = [0], ["a"] = [1], ["b"] = [2, 3] },
        Gate = gate,
        Classifier = classifier,
    };

    [Fact]
    public void Gate_accepts_at_the_threshold_and_sums_its_group()
    {
        var policy = new GatePolicy(Manifest(gate: new GateDecision { PositiveGroup = "b", Threshold = 0.5f }));
        policy.Decide([0, 0, 0.25f, 0.25f]).Should().Be(new GateDecisionResult(0.5f, 0.5f, true));
        policy.Decide([0.9f, 0.9f, 0.2f, 0.2f]).Accepted.Should().BeFalse();
    }

    [Fact]
    public void Independent_rule_says_none_of_these_when_every_label_is_below_its_threshold()
    {
        var policy = new ClassifierPolicy(Manifest(new ClassifierDecision
        {
            Labels = ["a", "b"],
            Rule = ClassifierRule.Independent,
            Thresholds = new Dictionary<string, float> { ["a"] = 0.6f, ["b"] = 0.3f },
        }));
        policy.Decide([0, 0.5f, 0.1f, 0.1f]).Label.Should().BeNull();
        policy.Decide([0, 0.5f, 0.2f, 0.2f]).Label.Should().Be("b", "b passes its own threshold although a scores higher");
        policy.Decide([0, 0.9f, 0.2f, 0.2f]).Label.Should().Be("a");
    }

    [Fact]
    public void Argmax_rule_refuses_below_the_minimum_score()
    {
        var policy = new ClassifierPolicy(Manifest(new ClassifierDecision { Labels = ["a", "b"], MinScore = 0.3f }));
        policy.Decide([0, 0.2f, 0.05f, 0.05f]).Label.Should().BeNull();
        var decision = policy.Decide([0, 0.2f, 0.3f, 0.1f]);
        decision.Label.Should().Be("b");
        decision.Scores.Should().Equal(new LabelScore("a", 0.2f, 0.3f), new LabelScore("b", 0.4f, 0.3f));
    }

    [Fact]
    public void Manifest_without_a_threshold_for_an_independent_label_is_refused() =>
        FluentActions.Invoking(() => Manifest(new ClassifierDecision { Labels = ["a", "b"], Rule = ClassifierRule.Independent }).Validate("test"))
            .Should().Throw<ModelPackException>().WithMessage("*'a' has no threshold*");

    [Fact]
    public void Tensor_layout_writes_planar_channels_in_model_order_with_normalisation()
    {
        // 2x1 image: a red pixel then a blue one.
        using var image = DecodedImage.FromRgb([255, 0, 0, 0, 0, 255], 2, 1);
        var rgb = new float[6];
        new TensorLayout(2, 1, ColorOrder.Rgb, 1f / 255, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]).Write(image, rgb);
        rgb.Should().Equal(1, -1, -1, -1, -1, 1);
        var bgr = new float[6];
        new TensorLayout(2, 1, ColorOrder.Bgr, 1, [10, 20, 30], [1, 1, 1]).Write(image, bgr);
        bgr.Should().Equal(-10, 245, -20, -20, 225, -30);
        var mirrored = new float[6];
        new TensorLayout(2, 1, ColorOrder.Rgb, 1, [0, 0, 0], [1, 1, 1]).Write(image, mirrored, mirror: true);
        mirrored.Should().Equal(0, 255, 0, 0, 255, 0);
    }
}
