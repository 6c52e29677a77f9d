using Cascade.Training.Heads;

namespace Cascade.Training.Tests;

public class BinaryLossTests
{
    [Theory]
    [InlineData(LossKind.Focal, 2.0, null)]
    [InlineData(LossKind.Focal, 2.0, 0.25)]
    [InlineData(LossKind.Focal, 0.5, 0.75)]
    [InlineData(LossKind.BinaryCrossEntropy, 0.0, null)]
    [InlineData(LossKind.BinaryCrossEntropy, 0.0, 0.3)]
    public void Gradient_matches_a_central_difference(LossKind kind, double gamma, double? alpha)
    {
        const double h = 1e-5;
        foreach (var y in new[] { 0.0, 1.0 })
        foreach (var z in new[] { -6.0, -2.5, -0.3, 0.0, 0.7, 3.0, 8.0 })
        {
            var (_, analytic) = BinaryLoss.Evaluate(kind, z, y, gamma, alpha);
            var numeric = (BinaryLoss.Evaluate(kind, z + h, y, gamma, alpha).Loss - BinaryLoss.Evaluate(kind, z - h, y, gamma, alpha).Loss) / (2 * h);
            analytic.Should().BeApproximately(numeric, 1e-6, $"{kind} gamma {gamma} alpha {alpha} at z={z}, y={y}");
        }
    }

    [Fact]
    public void Focal_loss_with_gamma_zero_is_cross_entropy()
    {
        foreach (var z in new[] { -3.0, 0.2, 4.0 })
        {
            BinaryLoss.Evaluate(LossKind.Focal, z, 1, gamma: 0).Should().Be(BinaryLoss.Evaluate(LossKind.BinaryCrossEntropy, z, 1));
            BinaryLoss.Evaluate(LossKind.BinaryCrossEntropy, z, 1).Loss.Should().BeApproximately(-Math.Log(1 / (1 + Math.Exp(-z))), 1e-12);
        }
    }

    [Fact]
    public void Focal_loss_down_weights_easy_examples()
    {
        var easy = BinaryLoss.Evaluate(LossKind.Focal, 4, 1).Loss / BinaryLoss.Evaluate(LossKind.BinaryCrossEntropy, 4, 1).Loss;
        var hard = BinaryLoss.Evaluate(LossKind.Focal, -1, 1).Loss / BinaryLoss.Evaluate(LossKind.BinaryCrossEntropy, -1, 1).Loss;
        easy.Should().BeLessThan(0.001);
        hard.Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Loss_is_finite_for_extreme_logits()
    {
        var (loss, gradient) = BinaryLoss.Evaluate(LossKind.Focal, -500, 1);
        double.IsFinite(loss).Should().BeTrue();
        gradient.Should().BeApproximately(-1, 1e-9);
    }
}
