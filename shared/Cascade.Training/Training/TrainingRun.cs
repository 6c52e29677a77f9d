using System.Text.Json;
using Cascade.Training.Data;
using Cascade.Training.Evaluation;

namespace Cascade.Training.Training;

/// <summary>
/// What a training run was given, written as <see cref="FileName"/> into every pack it exported, so that
/// <c>cascade eval --run PACK_DIR</c> re-creates the exact split (the same folders, image cap, seed and fractions give the
/// same test images) and finds the run's other pack, instead of the user repeating every dataset option.
/// </summary>
public sealed record TrainingRun
{
    public const string FileName = "training-run.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The object the run taught (the gate's positive group; part of the pack names).</summary>
    public required string Name { get; init; }
    /// <summary>The dataset with absolute folder paths, so the record works from any current folder.</summary>
    public required DatasetOptions Dataset { get; init; }
    /// <summary>Folder names of the exported packs, siblings of each other; null for a stage the run did not train.</summary>
    public string? GatePack { get; init; }
    public string? ClassifierPack { get; init; }
    public required string Backbone { get; init; }
    public required string Version { get; init; }

    public static TrainingRun Of(TrainingOptions options) => new()
    {
        Name = options.Gate.PositiveGroup,
        Dataset = options.Dataset with
        {
            ClassRoot = Path.GetFullPath(options.Dataset.ClassRoot),
            NegativeFolders = options.Dataset.NegativeFolders.Select(Path.GetFullPath).ToList(),
            OtherPositiveFolders = options.Dataset.OtherPositiveFolders.Select(Path.GetFullPath).ToList(),
        },
        GatePack = options.Gate.Enabled ? options.Gate.PackName : null,
        ClassifierPack = options.Classifier.Enabled ? options.Classifier.PackName : null,
        Backbone = Path.GetFullPath(options.Backbone.ModelPath),
        Version = options.Version,
    };

    public void WriteTo(string packDirectory) =>
        File.WriteAllText(Path.Combine(packDirectory, FileName), JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>The record in <paramref name="packDirectory"/>, a pack folder that <c>cascade train</c> wrote.</summary>
    public static TrainingRun ReadFrom(string packDirectory)
    {
        var path = Path.Combine(packDirectory, FileName);
        if (!File.Exists(path))
            throw new ArgumentException($"{packDirectory} has no {FileName}: give a pack folder that `cascade train` wrote, such as gate-bear-trained in its --out folder (the model directory by default).");
        try
        {
            return JsonSerializer.Deserialize<TrainingRun>(File.ReadAllText(path), JsonOptions) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path} is not a training run record: {e.Message}");
        }
    }

    /// <summary>The run's gate and classifier as one cascade named after the run; both packs lie next to <paramref name="packDirectory"/>.</summary>
    public CascadeUnderTest Cascade(string packDirectory)
    {
        if (GatePack is null || ClassifierPack is null)
            throw new ArgumentException($"The run in {packDirectory} trained only its {(GatePack is null ? "classifier" : "gate")}; evaluate it with --cascade NAME=GATE_PACK,CLASSIFIER_PACK and the run's dataset options.");
        var parent = Path.GetDirectoryName(Path.GetFullPath(packDirectory).TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
        return new CascadeUnderTest(Name, Path.Combine(parent, GatePack), Path.Combine(parent, ClassifierPack));
    }
}
