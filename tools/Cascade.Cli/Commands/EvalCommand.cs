using System.CommandLine;
using Cascade.Inference;
using Cascade.Training.Data;
using Cascade.Training.Evaluation;
using Cascade.Training.Training;
using Spectre.Console;

namespace Cascade.Cli.Commands;

/// <summary>`cascade eval`: gate, classifier and end-to-end metrics of one or more cascades, with metrics.json and an HTML report.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var dataset = new DatasetArguments();
        var cascades = new Option<string[]>("--cascade")
        {
            Description = $"NAME=GATE_PACK,CLASSIFIER_PACK (pack folders); repeat to compare (default: zero-shot=, the default gate and classifier packs in the model directory: {ModelDirectoryLocation.Order})",
            DefaultValueFactory = _ =>
            {
                var models = InferenceOptions.DefaultModelDirectory();
                return [$"zero-shot={Path.Combine(models, CommonOptions.DefaultGatePack)},{Path.Combine(models, CommonOptions.DefaultClassifierPack)}"];
            },
        };
        var split = new Option<string>("--split") { Description = "test, validation, train or all", DefaultValueFactory = _ => "test" };
        var output = new Option<string>("--out") { Description = "Folder for metrics.json and report.html", DefaultValueFactory = _ => ".artifacts/eval" };
        var mirror = new Option<string?>("--models-mirror") { Description = "Model files for packs that hold only model.json" };
        var thumbnails = new Option<int>("--thumbnails") { Description = "Misclassified images shown per cascade", DefaultValueFactory = _ => 24 };
        var run = new Option<string?>("--run")
        {
            Description = $"A pack folder `cascade train` wrote: evaluates that run's gate and classifier on the images of its split (its {TrainingRun.FileName} names the data, image cap, seed and fractions), instead of the dataset options",
        };
        var command = new Command("eval", "Evaluate cascades on a labelled folder: precision/recall/ROC AUC, confusion matrices, HTML report") { run, cascades, split, output, mirror, thumbnails };
        dataset.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            DatasetSplit? chosen = result.GetValue(split) switch
            {
                "test" => DatasetSplit.Test,
                "validation" => DatasetSplit.Validation,
                "train" => DatasetSplit.Train,
                "all" => null,
                var other => throw new ArgumentException($"--split: '{other}' is not test, validation, train or all."),
            };
            var (data, compared) = result.GetValue(run) is { } runDirectory
                ? FromRun(runDirectory, dataset.GivenNames(result), result.GetResult(cascades) is { Implicit: false } ? result.GetValue(cascades)! : [])
                : (dataset.Read(result), result.GetValue(cascades)!.Select(ParseCascade).ToList());
            var options = new EvalOptions
            {
                Dataset = data,
                Split = chosen,
                Cascades = compared,
                OutputDirectory = result.GetValue(output)!,
                ModelMirror = result.GetValue(mirror),
                MaxThumbnails = result.GetValue(thumbnails),
            };
            options.Validate();

            EvalReport report = null!;
            await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                report = await Evaluator.RunAsync(options, new SynchronousProgress<EvalProgress>(p =>
                {
                    if (!bars.TryGetValue(p.Pack, out var bar)) bars[p.Pack] = bar = context.AddTask(Markup.Escape(p.Pack), maxValue: Math.Max(1, p.Total));
                    bar.Value = p.Completed;
                }), cancellationToken);
            });

            var table = new Table().AddColumns("cascade", "gate recall", "gate precision", "ROC AUC", "threshold", "fine accuracy", "fine argmax", "verdict accuracy");
            foreach (var c in report.Cascades)
                table.AddRow(Markup.Escape(c.Name), $"{c.Gate.Recall:0.0000}", $"{c.Gate.Precision:0.0000}", $"{c.Gate.RocAuc:0.0000}", $"{c.GateThreshold:0.000}",
                    $"{c.Fine.Accuracy:0.0000}", $"{c.FineArgmaxAccuracy:0.0000}", $"{c.Verdicts.Accuracy:0.0000}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{report.Images} images ({report.Split ?? "all"}); [bold]{Markup.Escape(report.MetricsPath)}[/], [bold]{Markup.Escape(report.ReportPath)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>The run's dataset and its cascade, then any --cascade given to compare with it on the same images.</summary>
    private static (DatasetOptions, List<CascadeUnderTest>) FromRun(string directory, IReadOnlyList<string> datasetOptions, string[] others)
    {
        if (datasetOptions.Count > 0)
            throw new ArgumentException($"--run takes the dataset from the training run; leave out {string.Join(", ", datasetOptions)}.");
        if (!Directory.Exists(directory)) throw new ArgumentException($"--run: folder {directory} does not exist.");
        var trained = TrainingRun.ReadFrom(directory);
        return (trained.Dataset, [trained.Cascade(directory), .. others.Select(ParseCascade)]);
    }

    private static CascadeUnderTest ParseCascade(string text)
    {
        var parts = text.Split('=', 2);
        var packs = parts.Length == 2 ? parts[1].Split(',') : [];
        if (packs.Length != 2 || parts[0].Length == 0)
            throw new ArgumentException($"--cascade: '{text}' is not NAME=GATE_PACK,CLASSIFIER_PACK.");
        return new CascadeUnderTest(parts[0], packs[0], packs[1]);
    }
}
