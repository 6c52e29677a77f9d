using Cascade.Training.Data;

namespace Cascade.Training.Tests;

public class DatasetTests
{
    private static DatasetOptions Options(SplitOptions split) => new()
    {
        ClassRoot = SharedAssets.Bears,
        NegativeFolders = [SharedAssets.Negatives],
        OtherPositiveFolders = [SharedAssets.ExtraBears],
        MaxImagesPerFolder = 60,
        Split = split,
    };

    [Fact]
    public void Scan_finds_labels_kinds_and_a_stable_split()
    {
        var a = ImageFolderDataset.Scan(Options(new SplitOptions { Seed = 3 }));
        var b = ImageFolderDataset.Scan(Options(new SplitOptions { Seed = 3 }));
        a.Labels.Should().Equal("black", "grizzly", "teddy");
        a.Samples.Should().HaveCount(3 * 60 + 14 + 60);
        a.Samples.Count(s => s.Kind == SampleKind.OtherPositive).Should().Be(14);
        a.Samples.Select(s => s.Split).Should().Equal(b.Samples.Select(s => s.Split));
        var trainShare = a.In(DatasetSplit.Train).Count() / (double)a.Samples.Count;
        trainShare.Should().BeInRange(0.6, 0.8);

        var other = ImageFolderDataset.Scan(Options(new SplitOptions { Seed = 4 }));
        other.Samples.Select(s => s.Split).Should().NotEqual(a.Samples.Select(s => s.Split));
    }

    [Fact]
    public void K_fold_test_sets_partition_the_images()
    {
        var folds = Enumerable.Range(0, 5).Select(f => ImageFolderDataset.Scan(Options(new SplitOptions { Folds = 5, Fold = f }))).ToList();
        var testCounts = folds[0].Samples.Select((_, i) => folds.Count(d => d.Samples[i].Split == DatasetSplit.Test)).ToList();
        testCounts.Should().OnlyContain(c => c == 1);
    }

    [Fact]
    public void Explicit_labels_set_the_output_order()
    {
        var dataset = ImageFolderDataset.Scan(Options(new SplitOptions()) with { Labels = ["teddy", "grizzly", "black"] });
        dataset.Labels.Should().Equal("teddy", "grizzly", "black");
        dataset.Samples.First(s => s.Kind == SampleKind.Labelled).Path.Should().Contain("/teddy/");
    }
}
