using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cascade.Orchestrator.Store;

/// <summary>Ready only while the submission store answers: without it no submission can be taken or finished.</summary>
public sealed class SubmissionStoreHealthCheck(SubmissionStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The submission store does not answer.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The submission store failed: {e.Message}", e);
        }
    }
}
