using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cascade.ServiceDefaults.Grpc;

/// <summary>
/// Readiness as <c>grpc.health.v1</c> reports it: Healthy only when every "ready" check is Healthy. It exists
/// because Grpc.AspNetCore.HealthChecks reports Degraded as SERVING, and a degraded bus (MassTransit's check
/// while endpoints fault or restart) cannot take work, so a load balancer should see NOT_SERVING.
/// </summary>
public sealed class GrpcReadinessHealthCheck(HealthCheckService health) : IHealthCheck
{
    public const string Name = "grpc-readiness";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), cancellationToken).ConfigureAwait(false);
        if (report.Status == HealthStatus.Healthy) return HealthCheckResult.Healthy();
        var notReady = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description}");
        return HealthCheckResult.Unhealthy(string.Join("; ", notReady));
    }
}
