using System.Security.Cryptography;
using System.Text.Json;
using Cascade.Training.Data;

namespace Cascade.Cli.Tests;

// One at a time: the commands write to the process's console.
[Collection("cli")]
public class TrainCommandTests
{
    private static string[] Subset(string output, string cache, string backbone, params string[] more) =>
    [
        "train", "--name", "bear", "--backbone", backbone, "--data", SharedAssets.Bears, "--negatives", SharedAssets.Negatives, "--other-positives", SharedAssets.ExtraBears,
        "--max-per-folder", "10", "--synthetic-negatives", "10", "--synthetic-pool", "20", "--views", "1",
        "--out", output, "--cache", cache, .. more,
    ];

    /// <summary>Stands for <see cref="SharedAssets.Negatives"/> in attribute data, which must be constant.</summary>
    private const string SharedAssets_Negatives = "$negatives";

    /// <summary>`train` up to its options: absolute paths, since tests do not run in the repository root the defaults are relative to.</summary>
    private static string[] Named(string name) => ["train", "--name", name, "--backbone", SharedAssets.MobileNetV2Fp32, "--data", SharedAssets.Bears];

    [Theory]
    [InlineData("--backbone", "/no/such/backbone", "Backbone /no/such/backbone does not exist (/no/such/backbone); give a model pack folder or an ONNX file.")]
    [InlineData("--gate-zero-shot", "1000", "--gate-zero-shot: class 1000 is outside 0..999 (the backbone has 1000 classes).")]
    [InlineData("--classifier-zero-shot", "crane", "--classifier-zero-shot: 'crane' names classes 134 and 517 in")]
    [InlineData("--gate-zero-shot", "no such animal", "--gate-zero-shot: no class in")]
    [InlineData("--gate-zero-shot", "268-151", "--gate-zero-shot: range 268-151 ends before it starts.")]
    [InlineData("--focal-alpha", "1.5", "Focal alpha 1.5 is outside 0..1.")]
    [InlineData("--target-recall", "1.5", "Target recall 1.5 is outside (0, 1].")]
    [InlineData("--embedding", "no_such_tensor", "produces tensor 'no_such_tensor'")]
    public async Task Bad_arguments_fail_with_one_line_naming_the_problem(string option, string value, string message)
    {
        using var temp = new TempDirectory();
        string[] args = option == "--backbone"
            ? Subset(Path.Combine(temp.Path, "out"), Path.Combine(temp.Path, "cache"), value)
            : Subset(Path.Combine(temp.Path, "out"), Path.Combine(temp.Path, "cache"), SharedAssets.MobileNetV2Fp32, option, value);
        var run = await CliRun.InvokeAsync(args);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, message);
        Directory.Exists(Path.Combine(temp.Path, "out")).Should().BeFalse();
    }

    [Fact]
    public async Task A_name_that_cannot_be_a_folder_name_is_refused()
    {
        var run = await CliRun.InvokeAsync(Named("my pets"));

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "Name 'my pets' must be letters, digits, '-' or '_'");
    }

    [Fact]
    public async Task Data_without_a_name_is_refused_before_any_work()
    {
        var run = await CliRun.InvokeAsync("train", "--data", SharedAssets.Bears);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "--name is required with --data");
    }

    [Theory]
    // Each run reaches the later, deliberate error (--target-recall), so the folder values before it were taken as
    // "no folder": an empty value is not a folder called "", and a bare option does not swallow the next one.
    [InlineData("--other-positives", "")]
    [InlineData("--other-positives")]
    [InlineData("--negatives", SharedAssets_Negatives, "--negatives", "")]
    public async Task An_empty_or_bare_folder_option_means_no_folder(params string[] folders)
    {
        var run = await CliRun.InvokeAsync([.. Named("bear"), .. folders.Select(f => f == SharedAssets_Negatives ? SharedAssets.Negatives : f), "--target-recall", "1.5"]);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "Target recall 1.5 is outside (0, 1].");
    }

    [Fact]
    public async Task A_folder_both_negative_and_other_positive_is_refused()
    {
        var run = await CliRun.InvokeAsync([.. Named("bear"), "--negatives", SharedAssets.Negatives, "--other-positives", SharedAssets.Negatives + "/"]);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, $"Folder {SharedAssets.Negatives} is given to both --negatives and --other-positives");
    }

    [Fact]
    public async Task A_label_folder_without_images_is_named_before_any_work()
    {
        using var temp = new TempDirectory();
        var data = Pets(temp, cat: SharedAssets.Photos("bears/teddy")[0], dog: null);

        var run = await CliRun.InvokeAsync(Untrained(temp, data));

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, $"Label 'dog' has no images in {Path.Combine(data, "dog")}");
        Directory.Exists(Path.Combine(temp.Path, "cache")).Should().BeFalse("no embedding was computed");
    }

    [Fact]
    public async Task A_label_whose_images_all_fall_outside_the_training_split_is_named()
    {
        using var temp = new TempDirectory();
        var split = new SplitOptions { Seed = 1, ValidationFraction = 0.15, TestFraction = 0.15 };
        // A photo the seeded hash puts in validation or test, and one it trains on: the split as train computes it.
        var photos = SharedAssets.Photos("bears/teddy").Select(p => (Path: p, Split: ImageFolderDataset.Assign(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))), split))).ToList();
        var data = Pets(temp, cat: photos.First(p => p.Split == DatasetSplit.Train).Path, dog: photos.First(p => p.Split != DatasetSplit.Train).Path);

        var run = await CliRun.InvokeAsync(Untrained(temp, data));

        run.ShouldBeOneErrorLine(CommandErrors.UsageError,
            $"Label 'dog' has no image in the training split: its 1 image(s) in {Path.Combine(data, "dog")} all went to validation or test (--seed 1, --validation-fraction 0.15, --test-fraction 0.15). Give it more images.");
    }

    /// <summary>A two-label task, cat and dog, of one photo each (no dog folder contents when <paramref name="dog"/> is null).</summary>
    private static string Pets(TempDirectory temp, string cat, string? dog)
    {
        var data = Path.Combine(temp.Path, "pets");
        Directory.CreateDirectory(Path.Combine(data, "cat"));
        Directory.CreateDirectory(Path.Combine(data, "dog"));
        File.CreateSymbolicLink(Path.Combine(data, "cat", "a.jpg"), cat);
        if (dog is not null) File.CreateSymbolicLink(Path.Combine(data, "dog", "a.jpg"), dog);
        return data;
    }

    private static string[] Untrained(TempDirectory temp, string data) =>
        ["train", "--name", "pet", "--backbone", SharedAssets.MobileNetV2Fp32, "--data", data, "--out", Path.Combine(temp.Path, "out"), "--cache", Path.Combine(temp.Path, "cache")];

    [Fact]
    public async Task A_model_pack_is_a_backbone_and_its_preprocessing_goes_into_the_trained_packs()
    {
        using var temp = new TempDirectory();
        var backbone = Path.Combine(SharedAssets.ModelDirectory, "classifier-mobilenetv2-fp32");
        var output = Path.Combine(temp.Path, "out");

        var run = await CliRun.InvokeAsync(Subset(output, Path.Combine(temp.Path, "cache"), backbone));

        run.ExitCode.Should().Be(0, run.Error);
        using var source = JsonDocument.Parse(File.ReadAllText(Path.Combine(backbone, "model.json")));
        // The heads take their backbone pack's input: one backbone pack, beside them, with the source pack's preprocessing.
        var backbones = new HashSet<string>();
        foreach (var pack in new[] { "gate-bear-trained", "classifier-bear-trained" })
        {
            File.Exists(Path.Combine(output, pack, "model.onnx")).Should().BeTrue();
            using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, pack, "model.json")));
            trained.RootElement.TryGetProperty("input", out _).Should().BeFalse();
            backbones.Add(trained.RootElement.GetProperty("backbone").GetProperty("pack").GetString()!);
        }
        using var backbonePack = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, backbones.Single(), "model.json")));
        backbonePack.RootElement.GetProperty("input").GetRawText().Should().Be(source.RootElement.GetProperty("input").GetRawText());
    }
}
