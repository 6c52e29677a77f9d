using Cascade.Inference.Decisions;
using Xunit.Abstractions;

namespace Cascade.Inference.Tests;

/// <summary>Accuracy floors of a zero-shot gate and classifier pair on every photo in ../shared/data; the same floors for every pair.</summary>
public abstract class AccuracyTests(CascadePacksFixture packs, ITestOutputHelper output)
{
    private static readonly string[] BearClasses = ["teddy", "grizzly", "black"];

    [Fact]
    public async Task Gate_recall_and_precision_meet_the_floor()
    {
        var positives = BearClasses.SelectMany(c => SharedAssets.Photos($"bears/{c}")).Concat(SharedAssets.Photos("extra_bears")).ToList();
        var negatives = SharedAssets.Photos("negatives");
        var acceptedPositives = await CountAcceptedAsync(positives);
        var acceptedNegatives = await CountAcceptedAsync(negatives);

        var recall = (double)acceptedPositives / positives.Count;
        var precision = (double)acceptedPositives / (acceptedPositives + acceptedNegatives);
        output.WriteLine($"gate: recall {recall:0.000} ({acceptedPositives}/{positives.Count}), precision {precision:0.000} ({acceptedNegatives} negatives accepted of {negatives.Count})");
        recall.Should().BeGreaterThanOrEqualTo(0.95);
        precision.Should().BeGreaterThanOrEqualTo(0.98);
    }

    [Fact]
    public async Task Fine_classifier_accuracy_meets_the_floor()
    {
        var correct = 0;
        var unknown = 0;
        var total = 0;
        foreach (var label in BearClasses)
        {
            foreach (var photo in SharedAssets.Photos($"bears/{label}"))
            {
                var outcome = await packs.Pipeline.Classifier.RunAsync(await File.ReadAllBytesAsync(photo));
                var best = outcome.Decision.Scores.MaxBy(s => s.Score).Label;
                if (best == label) correct++;
                if (outcome.Decision.Label is null) unknown++;
                total++;
            }
        }
        var accuracy = (double)correct / total;
        output.WriteLine($"fine ({packs.Classifier}): accuracy {accuracy:0.000} ({correct}/{total}); below minScore (unknown): {unknown}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.97);
        ((double)unknown / total).Should().BeLessThan(0.03, "the minimum score must not turn many real bears into unknown");
    }

    [Fact]
    public async Task Other_bears_pass_the_gate_but_are_none_of_the_three()
    {
        string[] others = ["imagenet_n02134084_ice_bear.jpg", "imagenet_n02134418_sloth_bear.jpg"];
        foreach (var name in others)
        {
            var result = await packs.Pipeline.RunAsync(await File.ReadAllBytesAsync(Path.Combine(SharedAssets.Data, "extra_bears", name)));
            result.Verdict.Should().Be(Verdict.Unknown, name);
        }
    }

    private async Task<int> CountAcceptedAsync(IReadOnlyList<string> photos)
    {
        var accepted = 0;
        await Parallel.ForEachAsync(photos, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (photo, ct) =>
        {
            var outcome = await packs.Pipeline.Gate.RunAsync(await File.ReadAllBytesAsync(photo, ct), ct);
            if (outcome.Decision.Accepted) Interlocked.Increment(ref accepted);
        });
        return accepted;
    }
}

public sealed class ReferencePacksAccuracyTests(ReferencePacksFixture packs, ITestOutputHelper output) : AccuracyTests(packs, output), IClassFixture<ReferencePacksFixture>;

/// <summary>The classifier reads the int8 gate's logits (saturating near 28.8) instead of the fp32 model's: the floors must still hold.</summary>
public sealed class FusedZeroShotAccuracyTests(FusedZeroShotPacksFixture packs, ITestOutputHelper output) : AccuracyTests(packs, output), IClassFixture<FusedZeroShotPacksFixture>
{
    [Fact]
    public void The_classifier_runs_on_the_gate_s_model() => packs.Pipeline.SharesBackbone.Should().BeTrue();
}
