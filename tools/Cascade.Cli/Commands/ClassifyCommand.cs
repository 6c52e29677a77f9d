using System.CommandLine;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using Spectre.Console;

namespace Cascade.Cli.Commands;

/// <summary>`cascade classify PATH...`: runs the cascade over files and folders and prints a verdict per image.</summary>
internal static class ClassifyCommand
{
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
            var showProgress = !result.GetValue(json) && files.Count > 1 && !Console.IsOutputRedirected;
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

    private static async Task<IReadOnlyList<ClassificationRow>> ForEachAsync(IReadOnlyList<ImageFile> files, int concurrency, bool showProgress,
        Func<ImageFile, CancellationToken, Task<ClassificationRow>> classify, CancellationToken cancellationToken)
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

    private static async Task<ClassificationRow> ClassifyOneAsync(CascadePipeline pipeline, ImageFile file, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(file.Path, cancellationToken);
            return ClassificationRow.From(file, await pipeline.RunAsync(bytes, cancellationToken));
        }
        catch (ImageException e)
        {
            return ClassificationRow.From(file, e);
        }
    }

    /// <summary>Prints the rows; the exit code is 1 when every image failed (each row carries its error), else 0.</summary>
    internal static int Print(IReadOnlyList<ClassificationRow> rows, bool json)
    {
        var exitCode = rows.All(r => r.Failed) ? CommandErrors.RuntimeError : 0;
        if (json)
        {
            foreach (var row in rows) Console.WriteLine(row.ToJsonLine());
            return exitCode;
        }
        var table = new Table().AddColumns("image", "verdict", "gate", "label scores", "gate ms", "classifier ms");
        foreach (var row in rows)
        {
            var result = row.Result;
            var verdict = row.Failed ? $"[red]{Markup.Escape(result.ErrorCode)}[/]" : Markup.Escape(row.Outcome);
            var gate = result.Gate is { } g ? $"{g.Score:0.000} / {g.Threshold:0.00}" : "";
            var scores = result.Classifier is { } c ? string.Join("  ", c.Scores.Select(s => $"{s.Label} {s.Score:0.000}")) : Markup.Escape(result.ErrorMessage);
            table.AddRow(Markup.Escape(row.Name), verdict, gate, scores, result.Gate?.Timing is { } gt ? $"{gt.StageMs:0.0}" : "",
                result.Classifier?.Timing is { } ct ? $"{ct.StageMs:0.0}" : "");
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
