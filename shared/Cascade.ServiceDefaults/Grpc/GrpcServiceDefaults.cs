using System.IO.Compression;
using Grpc.AspNetCore.HealthChecks;
using Grpc.AspNetCore.Server;
using Cascade.ServiceDefaults.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Cascade.ServiceDefaults.Grpc;

/// <summary>What every Cascade gRPC server shares: settings, error mapping, compression, health and reflection.</summary>
public static class GrpcServiceDefaults
{
    /// <summary>
    /// Grpc.AspNetCore with <see cref="ErrorMappingInterceptor"/>, the <c>Grpc</c> settings (validated at start),
    /// <c>grpc.health.v1</c> over the readiness checks, server reflection, and the gRPC endpoint on Kestrel.
    /// Each service adds its own health name with <see cref="AddGrpcHealthFor"/>.
    /// </summary>
    public static WebApplicationBuilder AddCascadeGrpc(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<GrpcServerOptions>(builder.Configuration, GrpcServerOptions.Section);
        services.AddGrpc(grpc => grpc.Interceptors.Add<ErrorMappingInterceptor>());
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GrpcServerOptions>>((grpc, settings) =>
        {
            grpc.MaxReceiveMessageSize = settings.Value.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = settings.Value.MaxSendMessageSize;
            // gzip requests are accepted by default (CompressionProviders); this compresses responses for clients
            // that list gzip in grpc-accept-encoding. Fastest: results are small and latency matters more.
            grpc.ResponseCompressionAlgorithm = "gzip";
            grpc.ResponseCompressionLevel = CompressionLevel.Fastest;
        });
        services.AddGrpcReflection();

        services.AddGrpcHealthChecks(health => health.Services.Map("", IsReadiness))
            .AddCheck<GrpcReadinessHealthCheck>(GrpcReadinessHealthCheck.Name);
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            // Watch streams what the publisher last saw: every second (default 30 s, after a 5 s delay), so a
            // readiness change reaches watchers within about a second. Only the readiness check runs on it.
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(1);
            publisher.Predicate = check => check.Name == GrpcReadinessHealthCheck.Name;
        });

        builder.AddGrpcEndpoint();
        return builder;
    }

    /// <summary>Reports readiness under a gRPC service's full name (e.g. <c>cascade.v1.GateService</c>) too.</summary>
    public static IServiceCollection AddGrpcHealthFor(this IServiceCollection services, string serviceName) =>
        services.Configure<GrpcHealthChecksOptions>(health => health.Services.Map(serviceName, IsReadiness));

    /// <summary><c>grpc.health.v1.Health</c> and <c>grpc.reflection</c>; map each service with <c>MapGrpcService&lt;T&gt;()</c>.</summary>
    public static IEndpointRouteBuilder MapCascadeGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }

    private static bool IsReadiness(HealthCheckMapContext check) => check.Name == GrpcReadinessHealthCheck.Name;
}
