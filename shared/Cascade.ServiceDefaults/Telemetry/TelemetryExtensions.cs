using Cascade.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cascade.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces (ASP.NET Core, MassTransit) and metrics (MassTransit, inference) exported by OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Built with the SDK directly because
    /// OpenTelemetry.Extensions.Hosting is not on the package registry here.
    /// </summary>
    public static IServiceCollection AddCascadeTelemetry(this IServiceCollection services, string serviceName)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable))) return services;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);
        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.AspNetCore", "MassTransit")
            .AddOtlpExporter()
            .Build());
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Microsoft.AspNetCore.Hosting", "MassTransit", InferenceMetrics.MeterName, Metrics.ServiceMetrics.MeterName)
            .AddOtlpExporter()
            .Build());
        services.AddHostedService<TelemetryStarter>();
        return services;
    }

    /// <summary>Creates the providers at start-up (they listen from then on); the container disposes them, flushing.</summary>
    private sealed class TelemetryStarter(TracerProvider tracing, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(tracing);
            GC.KeepAlive(metrics);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
