using Cascade.Training.Heads;

namespace Cascade.Training.Tests;

public class HeadTrainerTests
{
    /// <summary>Three Gaussian blobs in 16 dimensions, class 2 rare (imbalance), plus "none" rows near the origin.</summary>
    private static LabelledEmbeddings Blobs(int seed, bool withNone)
    {
        var random = new Random(seed);
        var features = new List<float[]>();
        var targets = new List<float[]>();
        void Add(int label, int count)
        {
            for (var n = 0; n < count; n++)
            {
                var x = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
                if (label >= 0) x[label * 3] += 3;
                features.Add(x);
                targets.Add(Enumerable.Range(0, 3).Select(j => j == label ? 1f : 0f).ToArray());
            }
        }
        Add(0, 60);
        Add(1, 60);
        Add(2, 6);
        if (withNone) Add(-1, 40);
        return new LabelledEmbeddings(features, targets, features.Select(_ => 1f).ToList());
    }

    [Theory]
    [InlineData(HeadActivation.Sigmoid, ClassBalance.ClassWeights, LossKind.BinaryCrossEntropy, 0)]
    [InlineData(HeadActivation.Sigmoid, ClassBalance.Oversample, LossKind.Focal, 16)]
    [InlineData(HeadActivation.Softmax, ClassBalance.None, LossKind.BinaryCrossEntropy, 32)]
    public void Learns_separable_classes_including_the_rare_one(HeadActivation activation, ClassBalance balance, LossKind loss, int batchSize)
    {
        var withNone = activation == HeadActivation.Sigmoid;
        var options = new HeadOptions { Epochs = 80, Balance = balance, Loss = loss, BatchSize = batchSize, LearningRate = 0.05f };
        var reports = new List<EpochReport>();
        var head = HeadTrainer.Train(Blobs(1, withNone), Blobs(2, withNone), options, activation, onEpoch: reports.Add);

        reports.Should().HaveCount(80);
        reports[^1].TrainLoss.Should().BeLessThan(reports[0].TrainLoss);
        reports[^1].ValidationAccuracy.Should().BeGreaterThan(0.95);
        var (_, accuracy) = HeadTrainer.Evaluate(head, Blobs(3, withNone), options);
        accuracy.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void Warm_start_continues_from_the_given_head_and_leaves_it_untouched()
    {
        var data = Blobs(1, withNone: true);
        var options = new HeadOptions { Epochs = 30, LearningRate = 0.05f };
        var first = HeadTrainer.Train(data, null, options, HeadActivation.Sigmoid);
        var snapshot = first.Weights.ToArray();
        var second = HeadTrainer.Train(data, null, options with { Epochs = 1 }, HeadActivation.Sigmoid, start: first);
        first.Weights.Should().Equal(snapshot);
        HeadTrainer.Evaluate(second, data, options).Loss.Should().BeLessThan(HeadTrainer.Evaluate(new LinearHead(16, 3, HeadActivation.Sigmoid), data, options).Loss / 4);
    }
}
