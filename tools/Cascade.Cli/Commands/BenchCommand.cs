using System.CommandLine;
using Cascade.Cli.Bench;

namespace Cascade.Cli.Commands;

/// <summary>`cascade bench`: throughput and latency of each part and of the whole cascade, written as Markdown.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var data = new Option<string>("--data") { Description = "Folder of photos (recursive)", DefaultValueFactory = _ => "../shared/data" };
        var limit = new Option<int>("--images") { Description = "Use at most this many photos (0 = all)" };
        var large = new Option<int>("--large") { Description = "Also run on this many 12-megapixel JPEGs made by upscaling photos (0 = skip)", DefaultValueFactory = _ => 48 };
        var seconds = new Option<double>("--model-seconds") { Description = "Measuring time per model and batch size", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int>("--concurrency") { Description = "Images in flight in the cascade runs", DefaultValueFactory = _ => 64 };
        var markdown = new Option<string?>("--markdown") { Description = "Append the results as Markdown to this file" };
        var command = new Command("bench", "Measure decode+preprocess, each model at batch 1/8/32, and the in-process cascade") { data, limit, large, seconds, concurrency, markdown };
        common.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var files = ImageFiles.Expand([result.GetValue(data)!]);
            if (result.GetValue(limit) is > 0 and var n) files = files.Take(n).ToList();
            var photos = files.Select(File.ReadAllBytes).ToList();
            var report = new BenchReport("cascade " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            var bench = new InferenceBench(report, TimeSpan.FromSeconds(result.GetValue(seconds)), result.GetValue(concurrency));
            await using (var pipeline = common.Store(result).CreatePipeline(result.GetValue(common.Gate)!, result.GetValue(common.Classifier)!))
            {
                await bench.RunAsync($"{photos.Count} photos", pipeline, photos, modelsToo: true);
                if (result.GetValue(large) is > 0 and var count)
                    await bench.RunAsync($"{count} 12 MP JPEGs", pipeline, InferenceBench.Upscaled(photos, count, 12), modelsToo: false);
            }
            if (result.GetValue(markdown) is { } path) await File.AppendAllTextAsync(path, report.ToMarkdown() + Environment.NewLine, cancellationToken);
            return 0;
        });
        return command;
    }
}
