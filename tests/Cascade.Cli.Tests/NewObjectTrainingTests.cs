using System.Text.Json;
using Cascade.Training.Data;
using Cascade.Training.Training;

namespace Cascade.Cli.Tests;

/// <summary>
/// The README's walkthrough of teaching Cascade a new object: scripts/pets-example.sh makes a cat/dog task from the
/// bundled photos, `cascade train --name pet` trains it (on the first images of each folder, to stay fast) and
/// `cascade eval --run` scores the run's own test images without being told the dataset again.
/// </summary>
[Collection("cli")]
public class NewObjectTrainingTests
{
    [Fact]
    public async Task Pets_walkthrough_trains_pet_packs_and_eval_run_scores_the_runs_test_split()
    {
        using var temp = new TempDirectory();
        var example = Path.Combine(temp.Path, "pets-example");
        var script = await ScriptRun.RunAsync("bash", [Path.Combine(SharedAssets.RepoRoot, "scripts", "pets-example.sh"), SharedAssets.Data, example], TimeSpan.FromMinutes(1));
        script.ExitCode.Should().Be(0, script.Error);
        var pets = Path.Combine(example, "pets");
        string[] negatives = [Path.Combine(example, "not-pets"), Path.Combine(example, "bears")];
        var models = Path.Combine(temp.Path, "models");

        var train = await CliRun.InvokeAsync([
            "train", "--name", "pet", "--data", pets, "--negatives", .. negatives,
            "--gate-zero-shot", "151-268,281-285", "--classifier-zero-shot", "tiger cat,Persian cat,Siamese cat,Egyptian cat", "151-268",
            // The class names come from imagenet_synset.txt next to the backbone.
            "--backbone", SharedAssets.MobileNetV2Fp32,
            // A split other than the defaults, which eval must take from the run.
            "--max-per-folder", "16", "--seed", "7", "--validation-fraction", "0.2", "--test-fraction", "0.3",
            "--synthetic-negatives", "10", "--synthetic-pool", "20", "--views", "1",
            "--out", models, "--cache", Path.Combine(temp.Path, "cache"),
        ]);

        train.ExitCode.Should().Be(0, train.Error);
        var gatePack = Path.Combine(models, "gate-pet-trained");
        using (var gate = JsonDocument.Parse(File.ReadAllText(Path.Combine(gatePack, "model.json"))))
            gate.RootElement.GetProperty("groups").EnumerateObject().Select(g => g.Name).Should().Contain("pet").And.NotContain("bear");
        using (var classifier = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "classifier-pet-trained", "model.json"))))
            classifier.RootElement.GetProperty("classifier").GetProperty("labels").EnumerateArray().Select(l => l.GetString()).Should().Equal("cat", "dog");
        var run = TrainingRun.ReadFrom(gatePack);
        run.Dataset.OtherPositiveFolders.Should().BeEmpty("--data was given, so the bundled extra bears are not added");
        run.Dataset.NegativeFolders.Should().Equal(negatives);

        var reportFolder = Path.Combine(temp.Path, "eval");
        var eval = await CliRun.InvokeAsync("eval", "--run", gatePack, "--out", reportFolder);

        eval.ExitCode.Should().Be(0, eval.Error);
        var expected = ImageFolderDataset.Scan(new DatasetOptions
        {
            ClassRoot = pets,
            NegativeFolders = negatives,
            MaxImagesPerFolder = 16,
            Split = new SplitOptions { Seed = 7, ValidationFraction = 0.2, TestFraction = 0.3 },
        }).In(DatasetSplit.Test).Count();
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportFolder, "metrics.json")));
        metrics.RootElement.GetProperty("images").GetInt32().Should().Be(expected).And.BeGreaterThan(5);
        metrics.RootElement.GetProperty("cascades")[0].GetProperty("name").GetString().Should().Be("pet");
        File.Exists(Path.Combine(reportFolder, "report.html")).Should().BeTrue();
    }

    [Fact]
    public async Task Eval_run_refuses_dataset_options_that_would_change_the_split()
    {
        using var temp = new TempDirectory();
        var run = await CliRun.InvokeAsync("eval", "--run", temp.Path, "--seed", "3", "--out", Path.Combine(temp.Path, "eval"));

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "--run takes the dataset from the training run; leave out --seed.");
    }

    [Fact]
    public async Task Eval_run_on_a_folder_without_a_run_record_says_what_to_give()
    {
        using var temp = new TempDirectory();
        var run = await CliRun.InvokeAsync("eval", "--run", temp.Path, "--out", Path.Combine(temp.Path, "eval"));

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, "has no training-run.json: give a pack folder that `cascade train` wrote");
    }
}
