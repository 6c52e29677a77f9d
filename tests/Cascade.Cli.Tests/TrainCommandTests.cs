using System.Text.Json;

namespace Cascade.Cli.Tests;

// One at a time: the commands write to the process's console.
[Collection("cli")]
public class TrainCommandTests
{
    private static string[] Subset(string output, string cache, string backbone, params string[] more) =>
    [
        "train", "--backbone", backbone, "--data", SharedAssets.Bears, "--negatives", SharedAssets.Negatives, "--other-positives", SharedAssets.ExtraBears,
        "--max-per-folder", "10", "--synthetic-negatives", "10", "--synthetic-pool", "20", "--views", "1",
        "--out", output, "--cache", cache, .. more,
    ];

    [Theory]
    [InlineData("--backbone", "/no/such/backbone", "Backbone /no/such/backbone is neither a model pack folder nor an ONNX file.")]
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
    public async Task A_model_pack_is_a_backbone_and_its_preprocessing_goes_into_the_trained_packs()
    {
        using var temp = new TempDirectory();
        var backbone = Path.Combine(SharedAssets.ModelDirectory, "classifier-mobilenetv2-fp32");
        var output = Path.Combine(temp.Path, "out");

        var run = await CliRun.InvokeAsync(Subset(output, Path.Combine(temp.Path, "cache"), backbone));

        run.ExitCode.Should().Be(0, run.Error);
        using var source = JsonDocument.Parse(File.ReadAllText(Path.Combine(backbone, "model.json")));
        foreach (var pack in new[] { "gate-bear-trained", "classifier-bear-trained" })
        {
            File.Exists(Path.Combine(output, pack, "model.onnx")).Should().BeTrue();
            using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, pack, "model.json")));
            trained.RootElement.GetProperty("input").GetRawText().Should().Be(source.RootElement.GetProperty("input").GetRawText());
        }
    }
}
