using Cascade.Grpc.Protocol;
using Cascade.Grpc.Server;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Cascade.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c> backed by ASP.NET Core health checks: "" (the whole server) and each named gRPC
/// service are SERVING when every check tagged <paramref name="readyTag"/> passes, NOT_SERVING otherwise.
/// </summary>
public sealed class GrpcHealthService(HealthCheckService health, string readyTag, IEnumerable<string> serviceNames)
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);
    private readonly HashSet<string> _services = ["", .. serviceNames];

    public GrpcServiceBuilder Definition() => new GrpcServiceBuilder("grpc.health.v1.Health")
        .Unary<HealthCheckRequest, HealthCheckResponse>("Check", CheckAsync)
        .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", WatchAsync);

    private async Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, GrpcCallContext context)
    {
        if (!_services.Contains(request.Service)) throw new GrpcException(GrpcStatusCode.NotFound, $"Unknown service '{request.Service}'.");
        return new HealthCheckResponse { Status = await StatusAsync(context.CancellationToken) };
    }

    private async Task WatchAsync(HealthCheckRequest request, Func<HealthCheckResponse, Task> send, GrpcCallContext context)
    {
        ServingStatus? last = null;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var status = _services.Contains(request.Service) ? await StatusAsync(context.CancellationToken) : ServingStatus.ServiceUnknown;
            if (status != last) await send(new HealthCheckResponse { Status = status });
            last = status;
            await Task.Delay(WatchInterval, context.CancellationToken);
        }
    }

    private async Task<ServingStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(readyTag), cancellationToken);
        return report.Status == HealthStatus.Healthy ? ServingStatus.Serving : ServingStatus.NotServing;
    }
}
