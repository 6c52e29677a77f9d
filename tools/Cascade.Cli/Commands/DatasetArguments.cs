using System.CommandLine;
using Cascade.Training.Data;

namespace Cascade.Cli.Commands;

/// <summary>Options that name a labelled image-folder dataset and its split, shared by `train` and `eval` so both see the same test images.</summary>
internal sealed class DatasetArguments
{
    public Option<string> Data { get; } = new("--data") { Description = "Folder with one sub-folder per label", DefaultValueFactory = _ => "../shared/data/bears" };
    public Option<string[]> Labels { get; } = new("--labels") { Description = "Labels in output order (default: every sub-folder)", AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Negatives { get; } = new("--negatives") { Description = "Folders of images without the object", DefaultValueFactory = _ => ["../shared/data/negatives"], AllowMultipleArgumentsPerToken = true };
    public Option<string[]> OtherPositives { get; } = new("--other-positives") { Description = "Folders of the object that are none of the labels", DefaultValueFactory = _ => ["../shared/data/extra_bears"], AllowMultipleArgumentsPerToken = true };
    public Option<int?> MaxPerFolder { get; } = new("--max-per-folder") { Description = "Use at most N images of each folder (quick runs)" };
    public Option<int> Seed { get; } = new("--seed") { Description = "Split seed", DefaultValueFactory = _ => 1 };
    public Option<double> ValidationFraction { get; } = new("--validation-fraction") { DefaultValueFactory = _ => 0.15 };
    public Option<double> TestFraction { get; } = new("--test-fraction") { DefaultValueFactory = _ => 0.15 };
    public Option<int> Folds { get; } = new("--folds") { Description = "k-fold instead of a fixed split (0 = fixed split)" };
    public Option<int> Fold { get; } = new("--fold") { Description = "Which fold is the test set" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Labels, Negatives, OtherPositives, MaxPerFolder, Seed, ValidationFraction, TestFraction, Folds, Fold })
            command.Options.Add(option);
    }

    public DatasetOptions Read(ParseResult result)
    {
        var labels = result.GetValue(Labels);
        var dataset = new DatasetOptions
        {
            ClassRoot = result.GetValue(Data)!,
            Labels = labels is { Length: > 0 } ? labels : null,
            NegativeFolders = result.GetValue(Negatives) ?? [],
            OtherPositiveFolders = result.GetValue(OtherPositives) ?? [],
            MaxImagesPerFolder = result.GetValue(MaxPerFolder),
            Split = new SplitOptions
            {
                Seed = result.GetValue(Seed),
                ValidationFraction = result.GetValue(ValidationFraction),
                TestFraction = result.GetValue(TestFraction),
                Folds = result.GetValue(Folds),
                Fold = result.GetValue(Fold),
            },
        };
        dataset.Validate();
        return dataset;
    }
}
