using Cascade.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascade.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>JSON console logs, health checks, OpenTelemetry: what every Cascade service starts with.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // ASP.NET Core logs four lines per request at Information (hosting and routing): on a busy service, JSON lines
        // by the thousand that say nothing a metric does not. Warning unless configured otherwise, as ASP.NET Core's
        // templates set it; the lowest-priority source, so appsettings, environment and command line still override it.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")] });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        // Trace and span ids in every line's scopes whenever an activity is running (tracing enabled).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        builder.Services.AddCascadeTelemetry(builder.Environment.ApplicationName);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process answers), <c>/health/ready</c> (model loaded and bus connected:
    /// MassTransit's bus check carries the "ready" tag too) and <c>/metrics</c> for Prometheus.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Live) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(HealthTags.Ready),
            // MassTransit reports an endpoint without its consumer as Degraded, which ASP.NET Core answers with 200;
            // a process that cannot consume must read as not ready, so that compose or Kubernetes restarts it.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        // Scrapes are left out of the HTTP server metrics so that they measure callers, not Prometheus.
        app.MapPrometheusScrapingEndpoint(TelemetryExtensions.MetricsPath).DisableHttpMetrics();
        return app;
    }
}
