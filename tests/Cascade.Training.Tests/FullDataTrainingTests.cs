using System.Diagnostics;
using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Training;
using Xunit.Abstractions;

namespace Cascade.Training.Tests;

/// <summary>
/// The targets on ../shared/data with the default options and the fixed split (seed 1, 70/15/15 by content hash):
/// gate recall and precision >= 0.99 and fine accuracy >= 0.99 on the test split; from scratch under 3 minutes,
/// with cached embeddings under 15 s. CASCADE_TRAINING_OUT keeps the packs and cache (for `cascade eval`).
/// </summary>
public class FullDataTrainingTests(ITestOutputHelper output)
{
    [FullDataFact]
    public async Task Default_training_meets_the_targets_from_scratch_and_from_cache()
    {
        using var temp = new TempDirectory();
        var root = Environment.GetEnvironmentVariable("CASCADE_TRAINING_OUT") ?? temp.Path;
        var cache = Path.Combine(root, "cache-" + Guid.NewGuid().ToString("n")[..8]);
        var options = new TrainingOptions
        {
            Dataset = new DatasetOptions
            {
                ClassRoot = SharedAssets.Bears,
                Labels = ["teddy", "grizzly", "black"],
                NegativeFolders = [SharedAssets.Negatives],
                OtherPositiveFolders = [SharedAssets.ExtraBears],
            },
            Backbone = BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32),
            OutputDirectory = Path.Combine(root, "packs"),
            CacheDirectory = cache,
        };

        var clock = Stopwatch.StartNew();
        var scratch = await Trainer.RunAsync(options, new Log(output));
        var scratchTime = clock.Elapsed;
        Report("from scratch", scratch, scratchTime);

        clock.Restart();
        var cached = await Trainer.RunAsync(options);
        var cachedTime = clock.Elapsed;
        Report("cached", cached, cachedTime);

        cached.EmbeddingsComputed.Should().Be(0);
        scratch.GateTest!.Recall.Should().BeGreaterThanOrEqualTo(0.99);
        scratch.GateTest.Precision.Should().BeGreaterThanOrEqualTo(0.99);
        scratch.ClassifierTest!.Accuracy.Should().BeGreaterThanOrEqualTo(0.99);
        scratchTime.Should().BeLessThan(TimeSpan.FromMinutes(3));
        cachedTime.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    private void Report(string run, TrainingResult result, TimeSpan time)
    {
        var gate = result.GateTest!;
        output.WriteLine($"{run}: {time.TotalSeconds:F1} s (embeddings {result.EmbeddingTime.TotalSeconds:F1} s, {result.EmbeddingsComputed}/{result.Embeddings} computed); " +
                         $"images train {result.TrainImages} / validation {result.ValidationImages} / test {result.TestImages}; hard negatives mined {result.HardNegativesMined}");
        output.WriteLine($"  gate test: threshold {result.GateThreshold:F4} recall {gate.Recall:F4} ({gate.TruePositives}/{gate.Positives}) precision {gate.Precision:F4} " +
                         $"(FP {gate.FalsePositives}/{gate.Negatives}) ROC AUC {gate.RocAuc:F5}");
        var fine = result.ClassifierTest!;
        output.WriteLine($"  classifier test: accuracy {fine.Accuracy:F4} ({fine.Correct}/{fine.Total}); thresholds {string.Join(", ", result.LabelThresholds!.Select(t => $"{t.Key} {t.Value:F3}"))}");
        for (var i = 0; i < fine.Classes.Count; i++) output.WriteLine($"    {fine.Classes[i],-8} {string.Join(" ", fine.Counts[i].Select(c => $"{c,4}"))}");
        output.WriteLine($"  packs: {result.GatePackDirectory}, {result.ClassifierPackDirectory}");
    }

    private sealed class Log(ITestOutputHelper output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            // Epoch lines every 25 epochs; everything else as it comes.
            if (value.Epoch is { } e && e.Epoch % 25 != 0) return;
            if (value.Stage == TrainingStage.Embedding && value.Completed % 1024 != 0 && value.Completed != value.Total) return;
            output.WriteLine($"[{value.Stage}] {value.Message}");
        }
    }
}
