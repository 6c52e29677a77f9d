using System.Text.Json;
using System.Text.RegularExpressions;
using Cascade.Inference;
using Cascade.ServiceDefaults.Telemetry;

namespace Cascade.Deployment.Tests;

/// <summary>
/// What the services expose on <c>/metrics</c> (OpenTelemetry's Prometheus exporter: dots become underscores, the
/// unit "ms" a <c>_milliseconds</c> suffix, counters end in <c>_total</c>) and that the Grafana dashboard and the
/// Prometheus configuration ask for nothing else.
/// </summary>
public sealed partial class MetricsEndpointTests(ScrapedMetrics scrape) : IClassFixture<ScrapedMetrics>
{
    public static TheoryData<string> LatencyHistograms =>
    [
        "cascade_batch_wait_milliseconds",
        "cascade_model_duration_milliseconds",
        "cascade_preprocess_duration_milliseconds",
        "cascade_stage_duration_milliseconds",
        "cascade_stage_queue_wait_milliseconds",
        "cascade_submission_duration_milliseconds",
    ];

    [Theory]
    [MemberData(nameof(LatencyHistograms))]
    public void Latency_histograms_have_our_millisecond_buckets(string histogram) =>
        scrape.BucketBounds(histogram).Should().Equal(TelemetryExtensions.LatencyBucketsMs);

    [Fact]
    public void Batch_size_buckets_reach_the_largest_batch_the_settings_allow()
    {
        var bounds = scrape.BucketBounds("cascade_batch_size");

        bounds.Should().Equal(TelemetryExtensions.BatchSizeBuckets);
        bounds.Should().Contain(new BatchingOptions().MaxBatchSize, "the default batch is a bucket of its own");
        new BatchingOptions { MaxBatchSize = (int)bounds[^1] }.Validate();
        FluentActions.Invoking(() => new BatchingOptions { MaxBatchSize = (int)bounds[^1] + 1 }.Validate())
            .Should().Throw<ArgumentException>("no batch can be larger than the top bucket");
    }

    [Fact]
    public void Cascade_counters_and_gauges_are_exposed() =>
        scrape.SampleNames.Should().Contain(
        [
            "cascade_submissions_finished_total",
            "cascade_submissions_in_flight",
            "cascade_gate_decisions_total",
            "cascade_errors_total",
            "cascade_image_errors_total",
        ]);

    [Fact]
    public void AspNetCore_runtime_and_MassTransit_metrics_are_exposed() =>
        scrape.SampleNames.Should().Contain(
        [
            "http_server_request_duration_seconds_bucket",
            "dotnet_gc_collections_total",
            "dotnet_process_memory_working_set_bytes",
            "messaging_masstransit_consume_ea_total",
        ]);

    [Fact]
    public void Dashboard_and_prometheus_configuration_query_only_exposed_metrics()
    {
        var queried = QueriedMetrics().ToList();

        queried.Should().NotBeEmpty();
        queried.Where(q => !scrape.SampleNames.Contains(q.Metric) && !PrometheusOwnSeries.Contains(q.Metric))
            .Select(q => $"{q.Metric} in {Path.GetRelativePath(SharedAssets.RepoRoot, q.File)}").Should().BeEmpty(
            "every queried series must be in a real scrape, which has " + string.Join(", ", scrape.SampleNames.Order(StringComparer.Ordinal)));
    }

    /// <summary>Every metric name in a PromQL expression of the dashboard or of any Prometheus file under deploy/.</summary>
    private static IEnumerable<(string File, string Metric)> QueriedMetrics()
    {
        var deploy = Path.Combine(SharedAssets.RepoRoot, "deploy");
        var dashboard = Path.Combine(deploy, "grafana", "dashboards", "cascade.json");
        using var json = JsonDocument.Parse(File.ReadAllText(dashboard));
        foreach (var expression in JsonExpressions(json.RootElement))
            foreach (var metric in MetricNames(expression))
                yield return (dashboard, metric);

        var prometheusFiles = Directory.EnumerateFileSystemEntries(deploy, "prometheus*")
            .SelectMany(entry => Directory.Exists(entry) ? Directory.EnumerateFiles(entry, "*.y*ml", SearchOption.AllDirectories) : [entry]);
        foreach (var file in prometheusFiles)
            foreach (var expression in YamlExpressions(File.ReadAllText(file)))
                foreach (var metric in MetricNames(expression))
                    yield return (file, metric);
    }

    /// <summary>Grafana keeps a panel's PromQL in <c>"expr"</c>, at whatever depth (targets, rows of panels).</summary>
    private static IEnumerable<string> JsonExpressions(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "expr" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : JsonExpressions(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(JsonExpressions),
        _ => [],
    };

    /// <summary>The <c>expr:</c> values of recording and alerting rules, on one line or as a <c>|</c> / <c>&gt;</c> block.</summary>
    private static IEnumerable<string> YamlExpressions(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = YamlExpr().Match(lines[i]);
            if (!match.Success) continue;
            var value = match.Groups["value"].Value.Trim();
            if (value.Length > 0 && value[0] is '|' or '>')
            {
                var indent = match.Groups["indent"].Length;
                var block = lines.Skip(i + 1).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length > indent);
                value = string.Join(' ', block.Select(l => l.Trim()));
            }
            yield return value.Trim('"', '\'');
        }
    }

    /// <summary>
    /// Identifiers left once strings, label matchers, ranges and label lists (<c>by (le, stage)</c>) are removed,
    /// less function names (followed by a parenthesis) and PromQL's keywords.
    /// </summary>
    private static IEnumerable<string> MetricNames(string expression)
    {
        var bare = LabelListsAndGroupings().Replace(StringsMatchersAndRanges().Replace(expression, " "), " ");
        return Identifier().Matches(bare).Select(m => m.Value).Where(name => !Keywords.Contains(name)).Distinct();
    }

    /// <summary>Series Prometheus writes itself for every scrape, not found on any /metrics.</summary>
    private static readonly HashSet<string> PrometheusOwnSeries =
        ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"];

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "inf", "nan"];

    [GeneratedRegex(@"^(?<indent>\s*)(?:-\s*)?expr:(?<value>.*)$")]
    private static partial Regex YamlExpr();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex StringsMatchersAndRanges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelListsAndGroupings();

    [GeneratedRegex(@"(?<![\w:$.])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();
}
