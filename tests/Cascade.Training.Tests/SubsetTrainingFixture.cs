using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Training;

namespace Cascade.Training.Tests;

[CollectionDefinition(Name)]
public sealed class SubsetTrainingCollection : ICollectionFixture<SubsetTrainingFixture>
{
    public const string Name = "subset training";
}

/// <summary>One training run on a small subset of ../shared/data, shared by the tests that need trained packs.</summary>
public sealed class SubsetTrainingFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public string CacheDirectory => Path.Combine(_temp.Path, "cache");
    public TrainingOptions Options { get; private set; } = null!;
    public TrainingResult Result { get; private set; } = null!;
    public List<TrainingProgress> Progress { get; } = [];

    public static DatasetOptions Dataset(int perFolder) => new()
    {
        ClassRoot = SharedAssets.Bears,
        NegativeFolders = [SharedAssets.Negatives],
        OtherPositiveFolders = [SharedAssets.ExtraBears],
        MaxImagesPerFolder = perFolder,
        Split = new SplitOptions { Seed = 1, ValidationFraction = 0.2, TestFraction = 0.2 },
    };

    public async Task InitializeAsync()
    {
        Options = new TrainingOptions
        {
            Dataset = Dataset(perFolder: 40),
            Backbone = BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32),
            OutputDirectory = Path.Combine(_temp.Path, "packs"),
            CacheDirectory = CacheDirectory,
            Augmentation = new AugmentationOptions { Views = 1 },
            Gate = new GateTrainingOptions { SyntheticNegatives = 20, SyntheticPool = 40, Head = new() { Loss = Heads.LossKind.Focal, Epochs = 60 } },
            Classifier = new ClassifierTrainingOptions { Head = new() { Epochs = 60 } },
        };
        Result = await Trainer.RunAsync(Options, new ListProgress(Progress));
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private sealed class ListProgress(List<TrainingProgress> list) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            lock (list) list.Add(value);
        }
    }
}
