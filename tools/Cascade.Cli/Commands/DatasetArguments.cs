using System.CommandLine;
using System.CommandLine.Parsing;
using Cascade.Training.Data;

namespace Cascade.Cli.Commands;

/// <summary>Options that name a labelled image-folder dataset and its split, shared by `train` and `eval` so both see the same test images.</summary>
internal sealed class DatasetArguments
{
    /// <summary>The bundled bear example: its negatives and other positives are the defaults only when --data is left out.</summary>
    public const string ExampleData = "../shared/data/bears";
    private const string ExampleNegatives = "../shared/data/negatives";
    private const string ExampleOtherPositives = "../shared/data/extra_bears";

    public Option<string> Data { get; } = new("--data") { Description = $"Folder with one sub-folder per label (default: the bear example, {ExampleData})", DefaultValueFactory = _ => ExampleData };
    public Option<string[]> Labels { get; } = new("--labels") { Description = "Labels in output order (default: every sub-folder)", AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Negatives { get; } = FolderList("--negatives", $"Folders of images without the object (default without --data: {ExampleNegatives}; with --data: none)");
    public Option<string[]> OtherPositives { get; } = FolderList("--other-positives", $"Folders of the object that are none of the labels (default without --data: {ExampleOtherPositives}; with --data: none)");
    public Option<int?> MaxPerFolder { get; } = new("--max-per-folder") { Description = "Use at most N images of each folder (quick runs)" };
    public Option<int> Seed { get; } = new("--seed") { Description = "Split seed", DefaultValueFactory = _ => 1 };
    public Option<double> ValidationFraction { get; } = new("--validation-fraction") { DefaultValueFactory = _ => 0.15 };
    public Option<double> TestFraction { get; } = new("--test-fraction") { DefaultValueFactory = _ => 0.15 };
    public Option<int> Folds { get; } = new("--folds") { Description = "k-fold instead of a fixed split (0 = fixed split)" };
    public Option<int> Fold { get; } = new("--fold") { Description = "Which fold is the test set" };

    private IEnumerable<Option> All => [Data, Labels, Negatives, OtherPositives, MaxPerFolder, Seed, ValidationFraction, TestFraction, Folds, Fold];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>True when --data was given: the dataset is the user's, not the bundled example.</summary>
    public bool DataGiven(ParseResult result) => Given(result, Data);

    /// <summary>The dataset options the user typed (not their defaults), for `eval --run`, which takes them from the run.</summary>
    public IReadOnlyList<string> GivenNames(ParseResult result) => All.Where(o => Given(result, o)).Select(o => o.Name).ToList();

    public DatasetOptions Read(ParseResult result)
    {
        var labels = result.GetValue(Labels);
        var example = !DataGiven(result);
        var negatives = Folders(result, Negatives, example ? [ExampleNegatives] : []);
        var otherPositives = Folders(result, OtherPositives, example ? [ExampleOtherPositives] : []);
        var both = negatives.Select(FullPath).Intersect(otherPositives.Select(FullPath), StringComparer.Ordinal).FirstOrDefault();
        if (both is not null) throw new ArgumentException($"Folder {both} is given to both --negatives and --other-positives: its images are either the object or not.");
        var dataset = new DatasetOptions
        {
            ClassRoot = result.GetValue(Data)!,
            Labels = labels is { Length: > 0 } ? labels : null,
            NegativeFolders = negatives,
            OtherPositiveFolders = otherPositives,
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

    /// <summary>
    /// Zero or more folders: a bare option or an empty value ("") means none, so a default can be switched off; a folder
    /// given twice (repeated option, or two spellings of one path) counts once, or its images would be counted twice.
    /// </summary>
    private static Option<string[]> FolderList(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };

    private static List<string> Folders(ParseResult result, Option<string[]> option, string[] defaults)
    {
        var given = Given(result, option) ? result.GetValue(option) ?? [] : defaults;
        return given.Where(f => f.Trim().Length > 0).DistinctBy(FullPath, StringComparer.Ordinal).ToList();
    }

    private static string FullPath(string folder) => Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
