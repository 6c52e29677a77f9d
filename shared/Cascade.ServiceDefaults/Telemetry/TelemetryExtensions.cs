using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cascade.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Where Prometheus scrapes every service (mapped in <c>MapDefaultEndpoints</c>).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Every Cascade meter (<c>Cascade.Inference</c>, <c>Cascade.Services</c>, ...) by name prefix, so this project
    /// needs no reference to the projects that own them.
    /// </summary>
    public const string CascadeMeters = "Cascade.*";

    /// <summary>Every Cascade ActivitySource (the orchestrator's outbox, ...) by name prefix, as for the meters.</summary>
    public const string CascadeActivitySources = "Cascade.*";

    /// <summary>MassTransit's ActivitySource and meter share this name.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>The instrument of the dynamic batcher (Cascade.Inference) that counts images per model call.</summary>
    public const string BatchSizeInstrument = "cascade.batch.size";

    /// <summary>
    /// Milliseconds, for every Cascade histogram in ms. Batcher and queue waits live under the 2 ms default
    /// <c>MaxWait</c>, hence the sub-millisecond buckets; the top bucket is the orchestrator's 10 s stage timeout.
    /// </summary>
    public static readonly double[] LatencyBucketsMs = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    /// <summary>Powers of two up to 1024, the largest <c>Inference:Batching:MaxBatchSize</c> allowed.</summary>
    public static readonly double[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    /// <summary>
    /// Metrics (ASP.NET Core, HttpClient, MassTransit, the .NET runtime and every Cascade meter), always served to
    /// Prometheus on <see cref="MetricsPath"/>; when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics and traces
    /// (ASP.NET Core, HttpClient, MassTransit, Cascade's own sources) go out by OTLP too.
    /// </summary>
    public static IServiceCollection AddCascadeTelemetry(this IServiceCollection services, string serviceName)
    {
        var useOtlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(MassTransitSource, CascadeMeters)
                    .AddView(BatchSizeInstrument, new ExplicitBucketHistogramConfiguration { Boundaries = BatchSizeBuckets })
                    .AddView(LatencyView)
                    .AddPrometheusExporter();
                if (useOtlp) metrics.AddOtlpExporter();
            });
        // Traces only where they can go: recording activities for every request and message costs about a
        // millisecond of CPU per submission (measured with cascade bench --end-to-end), for nobody to read.
        if (useOtlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(MassTransitSource, CascadeActivitySources)
                .AddOtlpExporter());
        }
        return services;
    }

    /// <summary>Our latency buckets for Cascade's millisecond histograms; other instruments keep their own.</summary>
    private static MetricStreamConfiguration? LatencyView(Instrument instrument) =>
        instrument is Histogram<double> && instrument.Unit == "ms" && instrument.Meter.Name.StartsWith("Cascade.", StringComparison.Ordinal)
            ? new ExplicitBucketHistogramConfiguration { Boundaries = LatencyBucketsMs }
            : null;

    /// <summary>Scrapes and health probes arrive every few seconds and would drown the traces that matter.</summary>
    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
