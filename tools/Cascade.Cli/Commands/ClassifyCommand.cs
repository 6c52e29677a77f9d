using System.CommandLine;
using System.Text.Json;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using Spectre.Console;

namespace Cascade.Cli.Commands;

/// <summary>`cascade classify PATH...`: runs the cascade over files and folders and prints a verdict per image.</summary>
internal static class ClassifyCommand
{
    private static readonly JsonSerializerOptions JsonLines = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var common = new CommonOptions();
        var paths = ImageFiles.PathsArgument("Image files or folders (recursive)");
        var json = new Option<bool>("--json") { Description = "Print one JSON object per image instead of a table" };
        var concurrency = WholeNumberOption.Create("--concurrency", "Images in flight at once", minimum: 1, defaultValue: 32);
        var server = ServerAddressOption.Create("Classify through a running Cascade's gRPC API (e.g. http://127.0.0.1:5001) instead of in-process");
        var deadline = new Option<double>("--deadline-seconds") { Description = "gRPC deadline per image with --server", DefaultValueFactory = _ => 60 };
        var command = new Command("classify", "Classify images with the in-process cascade, or with --server through gRPC") { paths, json, concurrency, server, deadline };
        common.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var files = ImageFiles.Expand(result.GetValue(paths)!);
            var showProgress = !result.GetValue(json) && files.Count > 1;
            if (result.GetValue(server) is { } address)
            {
                using var cascade = new CascadeServer(address);
                var timeout = TimeSpan.FromSeconds(result.GetValue(deadline));
                return Print(await ForEachAsync(files, result.GetValue(concurrency), showProgress, (file, ct) => cascade.ClassifyRowAsync(file, timeout, ct), cancellationToken), result.GetValue(json));
            }
            await using var pipeline = common.Store(result).CreatePipeline(result.GetValue(common.Gate)!, result.GetValue(common.Classifier)!);
            return Print(await ForEachAsync(files, result.GetValue(concurrency), showProgress, (file, ct) => ClassifyOneAsync(pipeline, file, ct), cancellationToken), result.GetValue(json));
        });
        return command;
    }

    private static async Task<IReadOnlyList<ClassificationRow>> ForEachAsync(IReadOnlyList<string> files, int concurrency, bool showProgress,
        Func<string, CancellationToken, Task<ClassificationRow>> classify, CancellationToken cancellationToken)
    {
        var rows = new ClassificationRow[files.Count];
        async Task RunAsync(Action onDone)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                rows[i] = await classify(files[i], ct);
                onDone();
            });
        }

        if (!showProgress)
        {
            await RunAsync(() => { });
            return rows;
        }
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("classifying", maxValue: files.Count);
            await RunAsync(() => task.Increment(1));
        });
        return rows;
    }

    private static async Task<ClassificationRow> ClassifyOneAsync(CascadePipeline pipeline, string path, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            return ClassificationRow.From(path, await pipeline.RunAsync(bytes, cancellationToken));
        }
        catch (ImageException e)
        {
            return ClassificationRow.From(path, e);
        }
    }

    /// <summary>Prints the rows; the exit code is 1 when every image failed (each row carries its error), else 0.</summary>
    internal static int Print(IReadOnlyList<ClassificationRow> rows, bool json)
    {
        var exitCode = rows.All(r => r.ErrorCode is not null) ? CommandErrors.RuntimeError : 0;
        if (json)
        {
            foreach (var row in rows) Console.WriteLine(JsonSerializer.Serialize(row, JsonLines));
            return exitCode;
        }
        var table = new Table().AddColumns("image", "verdict", "gate", "label scores", "gate ms", "classifier ms");
        foreach (var row in rows)
        {
            var verdict = row.ErrorCode is not null ? $"[red]{Markup.Escape(row.ErrorCode)}[/]" : Markup.Escape(row.Verdict == "label" ? row.Label! : row.Verdict!);
            var gate = row.GateScore is { } s ? $"{s:0.000} / {row.GateThreshold:0.00}" : "";
            var scores = row.Scores is null ? Markup.Escape(row.ErrorMessage ?? "") : string.Join("  ", row.Scores.Select(p => $"{p.Key} {p.Value:0.000}"));
            table.AddRow(Markup.Escape(Path.GetFileName(row.Path)), verdict, gate, scores, $"{row.GateMs:0.0}", row.ClassifierMs is { } c ? $"{c:0.0}" : "");
        }
        AnsiConsole.Write(table);
        var summary = new Table().AddColumns("outcome", "images");
        foreach (var group in rows.GroupBy(r => r.Outcome).OrderByDescending(g => g.Count()))
            summary.AddRow(Markup.Escape(group.Key), group.Count().ToString());
        summary.AddRow("[bold]total[/]", rows.Count.ToString());
        AnsiConsole.Write(summary);
        return exitCode;
    }
}
