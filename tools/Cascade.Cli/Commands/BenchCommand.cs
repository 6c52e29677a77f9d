using System.CommandLine;
using Cascade.Cli.Bench;
using Cascade.LoadGenerator;

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
        var endToEnd = new Option<bool>("--end-to-end") { Description = "Instead: the services end to end (in-memory bus and RabbitMQ) on a 30% bear mix, against the in-process cascade" };
        var rabbitMq = new Option<string>("--rabbitmq-host") { Description = "RabbitMQ host for --end-to-end", DefaultValueFactory = _ => "127.0.0.1" };
        var server = ServerAddressOption.Create("Instead: unary Classify through this gRPC address at concurrency 1, 16 and 64, then the same flow in-process");
        var openLoopSeconds = new Option<double>("--open-loop-seconds") { Description = "Length of the half-load latency run in --end-to-end", DefaultValueFactory = _ => 15 };
        var command = new Command("bench", "Measure decode+preprocess, each model at batch 1/8/32, the in-process cascade, or (--end-to-end) the services")
        {
            data, limit, large, seconds, concurrency, markdown, endToEnd, rabbitMq, openLoopSeconds, server,
        };
        common.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var report = new BenchReport("cascade " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            var packs = (Gate: result.GetValue(common.Gate)!, Classifier: result.GetValue(common.Classifier)!);
            if (result.GetValue(server) is { } address)
            {
                var mix = EndToEndLoad.LoadMix(result.GetValue(data)!, result.GetValue(limit) is > 0 and var count ? count : 600, bearFraction: 0.3);
                await new GrpcBench(report).RunAsync(address, packs, mix, Path.GetFullPath(common.Inference(result).ModelDirectory), cancellationToken);
                await WriteAsync(report, result.GetValue(markdown), cancellationToken);
                return 0;
            }
            if (result.GetValue(endToEnd))
            {
                var mix = EndToEndLoad.LoadMix(result.GetValue(data)!, result.GetValue(limit) is > 0 and var count ? count : 1000, bearFraction: 0.3);
                var store = common.Store(result);
                await new EndToEndBench(report, result.GetValue(concurrency), TimeSpan.FromSeconds(result.GetValue(openLoopSeconds)))
                    .RunAsync(() => store.CreatePipeline(packs.Gate, packs.Classifier), packs, mix,
                        Path.GetFullPath(store.Directory), result.GetValue(rabbitMq)!, cancellationToken);
                await WriteAsync(report, result.GetValue(markdown), cancellationToken);
                return 0;
            }

            var files = ImageFiles.Expand([result.GetValue(data)!]);
            if (result.GetValue(limit) is > 0 and var n) files = files.Take(n).ToList();
            var photos = files.Select(f => File.ReadAllBytes(f.Path)).ToList();
            var bench = new InferenceBench(report, TimeSpan.FromSeconds(result.GetValue(seconds)), result.GetValue(concurrency));
            await using (var pipeline = common.Store(result).CreatePipeline(packs.Gate, packs.Classifier))
            {
                await bench.RunAsync($"{photos.Count} photos", pipeline, photos, modelsToo: true);
                if (result.GetValue(large) is > 0 and var count)
                    await bench.RunAsync($"{count} 12 MP JPEGs", pipeline, InferenceBench.Upscaled(photos, count, 12), modelsToo: false);
            }
            await WriteAsync(report, result.GetValue(markdown), cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task WriteAsync(BenchReport report, string? markdownPath, CancellationToken cancellationToken)
    {
        if (markdownPath is not null) await File.AppendAllTextAsync(markdownPath, report.ToMarkdown() + Environment.NewLine, cancellationToken);
    }
}
