using System.Text.Json;
using Cascade.Imaging;
using Cascade.Inference.Packs;
using Cascade.Training.Data;
using Cascade.Training.Evaluation;

namespace Cascade.Training.Tests;

[Collection(SubsetTrainingCollection.Name)]
public class EvaluatorTests(SubsetTrainingFixture fixture)
{
    private static readonly string[] Labels = ["teddy", "grizzly", "black"];

    private static ModelManifest Manifest(int classes, GateDecision? gate, ClassifierDecision? classifier, Dictionary<string, int[]> groups) => new()
    {
        Name = "hand",
        Version = "1",
        Model = new ModelSource { Sha256 = new string('a', 64) },
        Input = new InputSpec { Name = "input", Width = 224, Height = 224, ShortSide = 256, Resize = ResizeMode.ShortSideCrop },
        Output = new OutputSpec { Name = "logits", Classes = classes, Activation = OutputActivation.Sigmoid },
        Groups = groups,
        Gate = gate,
        Classifier = classifier,
    };

    [Fact]
    public void Metrics_match_a_hand_computed_confusion_matrix()
    {
        var gate = Manifest(1, new GateDecision { PositiveGroup = "bear", Threshold = 0.5f }, null, new() { ["bear"] = [0] });
        var classifier = Manifest(3, null, new ClassifierDecision
        {
            Labels = Labels,
            Rule = ClassifierRule.Independent,
            Thresholds = Labels.ToDictionary(l => l, _ => 0.5f),
        }, new() { ["teddy"] = [0], ["grizzly"] = [1], ["black"] = [2] });

        ImageSample Sample(SampleKind kind, int label) => new($"/x/{Guid.NewGuid():n}.jpg", "h", kind, label, DatasetSplit.Test);
        // (sample, gate score, classifier scores) -> expected verdict
        var rows = new (ImageSample Sample, float Gate, float[] Scores)[]
        {
            (Sample(SampleKind.Labelled, 0), 0.9f, [0.8f, 0.1f, 0.1f]),   // teddy -> teddy
            (Sample(SampleKind.Labelled, 0), 0.3f, [0.8f, 0.1f, 0.1f]),   // teddy -> gate refuses: no object (fine still teddy)
            (Sample(SampleKind.Labelled, 1), 0.9f, [0.1f, 0.4f, 0.45f]),  // grizzly -> none of these: unknown (argmax black)
            (Sample(SampleKind.Labelled, 2), 0.9f, [0.1f, 0.7f, 0.6f]),   // black -> grizzly
            (Sample(SampleKind.OtherPositive, -1), 0.8f, [0.1f, 0.2f, 0.1f]), // panda -> unknown (correct)
            (Sample(SampleKind.Negative, -1), 0.2f, [0.9f, 0.0f, 0.0f]),  // negative -> no object (correct)
            (Sample(SampleKind.Negative, -1), 0.6f, [0.9f, 0.0f, 0.0f]),  // negative -> teddy (false positive)
        };
        var metrics = Evaluator.Measure("hand", Labels, rows.Select(r => r.Sample).ToList(), gate, rows.Select(r => new[] { r.Gate }).ToArray(),
            classifier, rows.Select(r => r.Scores).ToArray(), maxThumbnails: 10);

        // Gate: positives = 5 (4 labelled + panda), accepted 4; negatives 2, accepted 1.
        metrics.Gate.TruePositives.Should().Be(4);
        metrics.Gate.FalsePositives.Should().Be(1);
        metrics.Gate.Recall.Should().Be(0.8);
        metrics.Gate.Precision.Should().Be(0.8);

        // Fine (labelled only, gate ignored): teddy->teddy x2, grizzly->none, black->grizzly.
        metrics.Fine["teddy", "teddy"].Should().Be(2);
        metrics.Fine["grizzly", Evaluator.NoneOfThese].Should().Be(1);
        metrics.Fine["black", "grizzly"].Should().Be(1);
        metrics.Fine.Accuracy.Should().Be(0.5);
        metrics.FineArgmaxAccuracy.Should().Be(0.5);

        // End to end.
        metrics.Verdicts["teddy", "teddy"].Should().Be(1);
        metrics.Verdicts["teddy", Evaluator.NoObject].Should().Be(1);
        metrics.Verdicts["grizzly", Evaluator.Unknown].Should().Be(1);
        metrics.Verdicts["black", "grizzly"].Should().Be(1);
        metrics.Verdicts[Evaluator.Unknown, Evaluator.Unknown].Should().Be(1);
        metrics.Verdicts[Evaluator.NoObject, Evaluator.NoObject].Should().Be(1);
        metrics.Verdicts[Evaluator.NoObject, "teddy"].Should().Be(1);
        metrics.Verdicts.Accuracy.Should().Be(3.0 / 7);
        metrics.Errors.Should().HaveCount(4);
    }

    [Fact]
    public async Task Compares_zero_shot_and_trained_packs_in_one_report()
    {
        using var temp = new TempDirectory();
        var progress = new List<EvalProgress>();
        var report = await Evaluator.RunAsync(new EvalOptions
        {
            Dataset = SubsetTrainingFixture.Dataset(perFolder: 8),
            Split = null,
            OutputDirectory = temp.Path,
            ModelMirror = SharedAssets.Models,
            Cascades =
            [
                new("zero-shot", Path.Combine(SharedAssets.RepoRoot, "packs", "gate-mobilenetv2-int8"), Path.Combine(SharedAssets.RepoRoot, "packs", "classifier-mobilenetv2-fp32")),
                new("trained", fixture.Result.GatePackDirectory!, fixture.Result.ClassifierPackDirectory!),
            ],
        }, new SyncProgress(progress));

        report.Images.Should().Be(3 * 8 + 8 + 8);
        report.Cascades.Should().HaveCount(2);
        report.Cascades.Should().OnlyContain(c => c.Gate.RocAuc > 0.8 && c.Verdicts.Total == report.Images);
        progress.Select(p => p.Pack).Distinct().Should().HaveCount(4);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report.MetricsPath));
        json.RootElement.GetProperty("cascades").GetArrayLength().Should().Be(2);
        json.RootElement.GetProperty("cascades")[1].GetProperty("gate").GetProperty("recall").GetDouble().Should().Be(report.Cascades[1].Gate.Recall);

        var html = await File.ReadAllTextAsync(report.ReportPath);
        html.Should().Contain("<svg").And.Contain("zero-shot").And.Contain("trained").And.Contain("gate-mobilenetv2-int8");
        html.Should().NotContain("<script").And.NotContain("src=\"http");
        if (report.Cascades.Any(c => c.Errors.Count > 0)) html.Should().Contain("data:image/jpeg;base64,");
    }

    private sealed class SyncProgress(List<EvalProgress> list) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => list.Add(value);
    }
}
