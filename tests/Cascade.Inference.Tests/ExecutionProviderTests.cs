using Cascade.Inference.Packs;
using Microsoft.Extensions.Logging;

namespace Cascade.Inference.Tests;

public class ExecutionProviderTests
{
    [Fact]
    public void Cuda_that_cannot_load_falls_back_to_cpu_with_one_warning()
    {
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var store = new ModelStore(new InferenceOptions { ModelDirectory = SharedAssets.ModelDirectory, ExecutionProvider = ExecutionProvider.Cuda }, loggers);

        using var pack = store.Load("gate-mobilenetv2-int8");

        // This machine has no CUDA provider library; on a GPU machine with the GPU package this test is not meaningful.
        if (pack.Provider == ExecutionProvider.Cuda) return;
        pack.Provider.Should().Be(ExecutionProvider.Cpu);
        logs.Messages.Where(m => m.Level == LogLevel.Warning).Should().ContainSingle().Which.Text.Should().Contain("CUDA").And.Contain("CPU");
        var row = new float[pack.OutputSize];
        pack.Run(new float[pack.InputElements], 1, row);
        var probabilities = new float[pack.OutputSize];
        ModelHead.Of(pack).Score(row, probabilities);
        probabilities.Sum().Should().BeApproximately(1f, 1e-3f);
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new RecordingLogger(this);

        public void Dispose()
        {
        }

        private sealed class RecordingLogger(RecordingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Messages) owner.Messages.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
