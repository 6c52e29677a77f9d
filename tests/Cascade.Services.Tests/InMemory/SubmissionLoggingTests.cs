using Cascade.AllInOne;
using Cascade.Inference;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults;
using Cascade.Services.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cascade.Services.Tests.InMemory;

public class SubmissionLoggingTests
{
    [Fact]
    public async Task Log_lines_about_a_submission_carry_its_id()
    {
        var logs = new ScopeRecordingLoggerProvider();
        await using var app = CascadeHost.BuildAllInOne([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{InferenceOptions.Section}:ModelDirectory"] = SharedAssets.ModelDirectory });
            builder.Logging.AddProvider(logs);
            // An answered submission's line is at Debug.
            builder.Logging.AddFilter<ScopeRecordingLoggerProvider>(typeof(SubmissionProgress).FullName, LogLevel.Debug);
        });
        await app.StartAsync();
        await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var submissions = app.Services.GetRequiredService<SubmissionService>();

        var id = await submissions.SubmitAsync(TestImages.Teddy(), clientRequestId: null);
        await submissions.WaitForResultAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200); // the finished consumer logs right after completing the result

        var finished = logs.Lines.Where(l => l.Message.StartsWith("Submission finished")).ToList();
        finished.Should().ContainSingle(l => l.Scopes.Contains($"SubmissionId={id}"), "the consume filter opens a scope with the submission id");
        await app.StopAsync();
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Information", true)]
    public async Task ASP_NET_Core_logs_no_line_per_request_unless_configured_to(string? level, bool expected)
    {
        var logs = new ScopeRecordingLoggerProvider();
        await using var app = CascadeHost.BuildAllInOne([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{InferenceOptions.Section}:ModelDirectory"] = SharedAssets.ModelDirectory });
            if (level is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = level });
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();

        (await app.GetTestClient().GetAsync("/health/live")).EnsureSuccessStatusCode();

        // Logged before the endpoint runs, so it is there once the answer is.
        lock (logs.Lines) logs.Lines.Any(l => l.Message.StartsWith("Request starting")).Should().Be(expected);
        await app.StopAsync();
    }

    private sealed class ScopeRecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public List<(string Message, string Scopes)> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Recorder(this);
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(ScopeRecordingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs) list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                    else list.Add(scope?.ToString() ?? "");
                }, scopes);
                lock (owner.Lines) owner.Lines.Add((formatter(state, exception), string.Join(";", scopes)));
            }
        }
    }
}
