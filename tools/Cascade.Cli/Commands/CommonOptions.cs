using System.CommandLine;
using Cascade.Imaging;
using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.Inference.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Cascade.Cli.Commands;

/// <summary>Options every inference command shares, and the objects they configure.</summary>
internal sealed class CommonOptions
{
    public const string DefaultGatePack = "gate-mobilenetv2-int8";
    public const string DefaultClassifierPack = "classifier-mobilenetv2-int8-head";

    public Option<string> ModelDirectory { get; } = new("--model-dir")
    {
        Description = $"Model directory (default {ModelDirectoryLocation.Order})",
        DefaultValueFactory = _ => InferenceOptions.DefaultModelDirectory(),
    };
    public Option<string> Gate { get; } = new("--gate") { Description = "Gate pack name or folder", DefaultValueFactory = _ => DefaultGatePack };
    public Option<string> Classifier { get; } = new("--classifier") { Description = "Classifier pack name or folder", DefaultValueFactory = _ => DefaultClassifierPack };
    public Option<ExecutionProvider> Provider { get; } = new("--provider") { Description = "Execution provider (cpu or cuda)", DefaultValueFactory = _ => ExecutionProvider.Cpu };
    public Option<int> Threads { get; } = WholeNumberOption.Create("--threads", "ONNX Runtime intra-op threads (0 = all cores)", minimum: 0);
    public Option<int> MaxBatch { get; } = WholeNumberOption.Create("--max-batch", "Dynamic batching: largest batch", minimum: 1, defaultValue: new BatchingOptions().MaxBatchSize);
    public Option<double> MaxWaitMs { get; } = new("--max-wait-ms") { Description = "Dynamic batching: longest wait for a batch to fill, ms", DefaultValueFactory = _ => new BatchingOptions().MaxWait.TotalMilliseconds };
    public Option<ExactInt8Mode> ExactInt8 { get; } = new("--exact-int8")
    {
        Description = "int8 models: auto (exact kernels only on x64 CPUs without VNNI, where the fast ones lose accuracy), true or false",
        DefaultValueFactory = _ => ExactInt8Mode.Auto,
    };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log model loading and providers" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { ModelDirectory, Gate, Classifier, Provider, Threads, MaxBatch, MaxWaitMs, ExactInt8, Verbose })
            command.Options.Add(option);
    }

    public InferenceOptions Inference(ParseResult result)
    {
        var options = new InferenceOptions
        {
            ModelDirectory = result.GetValue(ModelDirectory)!,
            ExecutionProvider = result.GetValue(Provider),
            IntraOpThreads = result.GetValue(Threads),
            ExactInt8 = result.GetValue(ExactInt8),
            Batching = new BatchingOptions
            {
                MaxBatchSize = result.GetValue(MaxBatch),
                MaxWait = TimeSpan.FromMilliseconds(result.GetValue(MaxWaitMs)),
            },
        };
        options.Validate();
        return options;
    }

    public ILoggerFactory Loggers(ParseResult result)
    {
        var loggers = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(result.GetValue(Verbose) ? LogLevel.Information : LogLevel.Warning);
            // Logs on stderr: stdout is the command's output (`classify --json --verbose | jq` reads JSON lines only).
            b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        VipsLog.RouteTo(loggers);
        return loggers;
    }

    public ModelStore Store(ParseResult result) => new(Inference(result), Loggers(result));
}
