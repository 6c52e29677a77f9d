using Cascade.Training.Calibration;
using Cascade.Training.Evaluation;

namespace Cascade.Training.Tests;

public class MetricsTests
{
    [Fact]
    public void Binary_metrics_match_a_hand_computed_confusion_matrix()
    {
        // Threshold 0.5: positives 0.9, 0.6, 0.4 -> TP 2, FN 1; negatives 0.7, 0.2, 0.1, 0.05 -> FP 1, TN 3.
        float[] scores = [0.9f, 0.6f, 0.4f, 0.7f, 0.2f, 0.1f, 0.05f];
        bool[] positive = [true, true, true, false, false, false, false];
        var metrics = BinaryMetrics.Compute(scores, positive, 0.5f);
        metrics.TruePositives.Should().Be(2);
        metrics.FalseNegatives.Should().Be(1);
        metrics.FalsePositives.Should().Be(1);
        metrics.TrueNegatives.Should().Be(3);
        metrics.Precision.Should().BeApproximately(2.0 / 3, 1e-12);
        metrics.Recall.Should().BeApproximately(2.0 / 3, 1e-12);
        // Pairs (pos, neg) with pos > neg: 0.9 beats 4, 0.6 beats 3, 0.4 beats 3 -> 10 of 12.
        metrics.RocAuc.Should().BeApproximately(10.0 / 12, 1e-12);
    }

    [Fact]
    public void Roc_auc_counts_ties_as_half()
    {
        BinaryMetrics.RocAucOf([0.5f, 0.5f], [true, false]).Should().Be(0.5);
        BinaryMetrics.RocAucOf([0.9f, 0.5f, 0.5f], [true, true, false]).Should().Be(0.75);
    }

    [Fact]
    public void Precision_recall_curve_walks_thresholds_downwards()
    {
        var curve = BinaryMetrics.Curve([0.9f, 0.8f, 0.8f, 0.3f], [true, false, true, false]);
        curve.Should().Equal(
            new PrecisionRecallPoint(0.9f, 1, 0.5),
            new PrecisionRecallPoint(0.8f, 2.0 / 3, 1),
            new PrecisionRecallPoint(0.3f, 0.5, 1));
    }

    [Fact]
    public void Confusion_matrix_counts_and_accuracy()
    {
        var matrix = new ConfusionMatrix(["teddy", "grizzly", "black", "none"]);
        matrix.Add("teddy", "teddy");
        matrix.Add("teddy", "teddy");
        matrix.Add("grizzly", "black");
        matrix.Add("black", "black");
        matrix.Add("black", "none");
        matrix["teddy", "teddy"].Should().Be(2);
        matrix["grizzly", "black"].Should().Be(1);
        matrix["black", "none"].Should().Be(1);
        matrix.Total.Should().Be(5);
        matrix.Accuracy.Should().Be(3.0 / 5);
        var add = () => matrix.Add("panda", "teddy");
        add.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Gate_threshold_keeps_the_target_recall()
    {
        var scores = Enumerable.Range(1, 100).Select(i => i / 100f).ToArray();
        var threshold = ThresholdCalibrator.ForRecall(scores, 0.99);
        scores.Count(s => s >= threshold).Should().Be(99);
        threshold.Should().BeApproximately(0.02f, 2e-5f);
        ThresholdCalibrator.ForRecall(scores, 1.0).Should().BeLessThan(0.01f);
    }

    [Fact]
    public void Label_thresholds_are_capped()
    {
        var heldOut = new List<(int, float[])> { (0, [0.95f, 0.1f]), (0, [0.99f, 0.0f]), (1, [0.1f, 0.3f]), (1, [0.0f, 0.9f]) };
        var thresholds = ThresholdCalibrator.ForLabels(["a", "b"], heldOut, 1.0, 0.5f);
        thresholds["a"].Should().Be(0.5f);
        thresholds["b"].Should().BeApproximately(0.3f, 2e-5f);
    }
}
