using System.Diagnostics;
using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Evaluation;
using Cascade.Training.Training;
using Xunit.Abstractions;

namespace Cascade.Training.Tests;

/// <summary>
/// The measurements behind shared/Cascade.Training/README.md, on all of ../shared/data with the default options.
/// Targets: gate recall and precision >= 0.99, fine accuracy >= 0.99, training from scratch under 3 minutes and
/// from cached embeddings under 15 s. The time targets are asserted; the quality assertions are floors (0.98) a
/// regression would break, and the exact numbers are printed (run with --logger "console;verbosity=detailed").
/// CASCADE_TRAINING_OUT keeps packs, cache and the HTML report.
/// </summary>
public class FullDataTrainingTests(ITestOutputHelper output)
{
    private static DatasetOptions Dataset(SplitOptions split) => new()
    {
        ClassRoot = SharedAssets.Bears,
        Labels = ["teddy", "grizzly", "black"],
        NegativeFolders = [SharedAssets.Negatives],
        OtherPositiveFolders = [SharedAssets.ExtraBears],
        Split = split,
    };

    [FullDataFact]
    public async Task Fixed_split_from_scratch_then_cached_then_evaluated_against_zero_shot()
    {
        using var temp = new TempDirectory();
        var root = Environment.GetEnvironmentVariable("CASCADE_TRAINING_OUT") ?? temp.Path;
        var options = new TrainingOptions
        {
            Dataset = Dataset(new SplitOptions()),
            Backbone = BackboneSpec.MobileNetV2Int8(SharedAssets.MobileNetV2Int8), // the default of `cascade train`
            OutputDirectory = Path.Combine(root, "packs"),
            // A fresh cache folder: the first run is from scratch.
            CacheDirectory = Path.Combine(root, "cache-" + Guid.NewGuid().ToString("n")[..8]),
        };

        var clock = Stopwatch.StartNew();
        var scratch = await Trainer.RunAsync(options, new Log(output));
        var scratchTime = clock.Elapsed;
        Report("from scratch", scratch, scratchTime);

        clock.Restart();
        var cached = await Trainer.RunAsync(options);
        var cachedTime = clock.Elapsed;
        Report("cached", cached, cachedTime);

        var report = await Evaluator.RunAsync(new EvalOptions
        {
            Dataset = options.Dataset,
            OutputDirectory = Path.Combine(root, "report"),
            ModelMirror = SharedAssets.Models,
            Cascades =
            [
                new("zero-shot", Path.Combine(SharedAssets.RepoRoot, "packs", "gate-mobilenetv2-int8"), Path.Combine(SharedAssets.RepoRoot, "packs", "classifier-mobilenetv2-fp32")),
                new("trained", scratch.GatePackDirectory!, scratch.ClassifierPackDirectory!),
            ],
        });
        foreach (var c in report.Cascades)
        {
            output.WriteLine($"eval {c.Name} on {report.Images} test images: gate recall {c.Gate.Recall:F4} precision {c.Gate.Precision:F4} ROC AUC {c.Gate.RocAuc:F4} (t={c.GateThreshold:F4}); " +
                             $"fine {c.Fine.Accuracy:F4} (argmax {c.FineArgmaxAccuracy:F4}); verdicts {c.Verdicts.Accuracy:F4}");
            foreach (var e in c.Errors) output.WriteLine($"    {Path.GetFileName(e.Path)}: expected {e.Expected}, got {e.Predicted} (gate {e.GateScore:F3})");
        }
        output.WriteLine($"report: {report.ReportPath}");

        cached.EmbeddingsComputed.Should().Be(0);
        scratchTime.Should().BeLessThan(TimeSpan.FromMinutes(3));
        cachedTime.Should().BeLessThan(TimeSpan.FromSeconds(15));
        // The issue's targets, on the fixed split.
        scratch.GateTest!.Recall.Should().BeGreaterThanOrEqualTo(0.99);
        scratch.GateTest.Precision.Should().BeGreaterThanOrEqualTo(0.99);
        scratch.ClassifierTest!.Accuracy.Should().BeGreaterThanOrEqualTo(0.99);
        // The exported packs, run by ONNX Runtime through ModelPack, agree with the in-process test metrics.
        report.Cascades[1].Gate.Recall.Should().Be(scratch.GateTest.Recall);
        report.Cascades[1].FineArgmaxAccuracy.Should().Be(scratch.ClassifierTest.Accuracy);
    }

    /// <summary>
    /// 5-fold cross-validation, test folds pooled: every image scored once by heads that never saw it (5x the test images
    /// of one split); on the default float32 backbone and on the int8 network the default gate runs.
    /// </summary>
    [FullDataTheory]
    [InlineData("fp32")]
    [InlineData("int8")]
    public async Task Five_fold_cross_validation_pooled(string backbone)
    {
        using var temp = new TempDirectory();
        var root = Environment.GetEnvironmentVariable("CASCADE_TRAINING_OUT") ?? temp.Path;
        int tp = 0, fp = 0, positives = 0, negatives = 0, fineCorrect = 0, fineTotal = 0;
        for (var fold = 0; fold < 5; fold++)
        {
            var result = await Trainer.RunAsync(new TrainingOptions
            {
                Dataset = Dataset(new SplitOptions { Folds = 5, Fold = fold }),
                Backbone = backbone == "int8" ? BackboneSpec.MobileNetV2Int8(SharedAssets.MobileNetV2Int8) : BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32),
                OutputDirectory = Path.Combine(root, $"{backbone}-fold{fold}"),
                CacheDirectory = Path.Combine(root, "cache-kfold"),
            });
            Report($"fold {fold}", result, result.TotalTime);
            tp += result.GateTest!.TruePositives;
            fp += result.GateTest.FalsePositives;
            positives += result.GateTest.Positives;
            negatives += result.GateTest.Negatives;
            fineCorrect += result.ClassifierTest!.Correct;
            fineTotal += result.ClassifierTest.Total;
        }
        double recall = (double)tp / positives, precision = (double)tp / (tp + fp), fine = (double)fineCorrect / fineTotal;
        output.WriteLine($"5-fold pooled, {backbone} backbone: gate recall {recall:F4} ({positives - tp} missed of {positives}) precision {precision:F4} ({fp} false positives of {negatives} negatives); " +
                         $"fine accuracy {fine:F4} ({fineTotal - fineCorrect} errors of {fineTotal})");
        recall.Should().BeGreaterThanOrEqualTo(0.99);
        precision.Should().BeGreaterThanOrEqualTo(0.99);
        // 0.985 measured: the fine target (0.99) is met on the fixed split only (docs/benchmarks.md, "Training").
        fine.Should().BeGreaterThanOrEqualTo(0.98);
    }

    private void Report(string run, TrainingResult result, TimeSpan time)
    {
        var gate = result.GateTest!;
        output.WriteLine($"{run}: {time.TotalSeconds:F1} s (embeddings {result.EmbeddingTime.TotalSeconds:F1} s, {result.EmbeddingsComputed}/{result.Embeddings} computed); " +
                         $"images train {result.TrainImages} / validation {result.ValidationImages} / test {result.TestImages}; hard negatives mined {result.HardNegativesMined}");
        output.WriteLine($"  gate test: threshold {result.GateThreshold:F4} recall {gate.Recall:F4} ({gate.TruePositives}/{gate.Positives}) precision {gate.Precision:F4} " +
                         $"(FP {gate.FalsePositives}/{gate.Negatives}) ROC AUC {gate.RocAuc:F5}");
        foreach (var e in result.GateTestErrors) output.WriteLine($"    gate wrong: {e.Path} ({e.Expected}) scored {e.Score:F3}");
        var fine = result.ClassifierTest!;
        output.WriteLine($"  classifier test: accuracy {fine.Accuracy:F4} ({fine.Correct}/{fine.Total}); thresholds {string.Join(", ", result.LabelThresholds!.Select(t => $"{t.Key} {t.Value:F3}"))}");
        for (var i = 0; i < fine.Classes.Count; i++) output.WriteLine($"    {fine.Classes[i],-8} {string.Join(" ", fine.Counts[i].Select(c => $"{c,4}"))}");
        foreach (var e in result.ClassifierTestErrors) output.WriteLine($"    wrong: {e.Path} ({e.Expected}, called {e.Predicted})");
    }

    private sealed class Log(ITestOutputHelper output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            // Epoch lines every 50 epochs; embedding progress every 1024; everything else as it comes.
            if (value.Epoch is { } e && e.Epoch % 50 != 0) return;
            if (value.Stage == TrainingStage.Embedding && value.Completed % 1024 != 0 && value.Completed != value.Total) return;
            output.WriteLine($"[{value.Stage}] {value.Message}");
        }
    }
}
