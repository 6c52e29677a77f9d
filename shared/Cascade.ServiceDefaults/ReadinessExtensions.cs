using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Cascade.ServiceDefaults;

public static class ReadinessExtensions
{
    /// <summary>Waits until every "ready" health check passes (models loaded, bus connected), for in-process hosts.</summary>
    public static async Task WaitUntilReadyAsync(this IHost host, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), cancellationToken).ConfigureAwait(false);
            if (report.Status == HealthStatus.Healthy) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not ready after {timeout.TotalSeconds:0} s: " +
                    string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message}")));
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
