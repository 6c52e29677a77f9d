using Cascade.Grpc.Health;
using Cascade.Grpc.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cascade.ServiceDefaults;

public static class GrpcHealthExtensions
{
    /// <summary>Maps <c>grpc.health.v1.Health</c>, reporting readiness for the whole server and each named gRPC service.</summary>
    public static IEndpointRouteBuilder MapGrpcHealth(this IEndpointRouteBuilder endpoints, params string[] serviceNames)
    {
        var health = new GrpcHealthService(endpoints.ServiceProvider.GetRequiredService<HealthCheckService>(), HealthTags.Ready, serviceNames);
        return endpoints.MapGrpcService(health.Definition());
    }
}
