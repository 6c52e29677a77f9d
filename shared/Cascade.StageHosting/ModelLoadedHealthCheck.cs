using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cascade.StageHosting;

/// <summary>Ready only once the model has loaded; unhealthy with the reason when loading failed.</summary>
public sealed class ModelLoadedHealthCheck<TStage>(LoadedModel<TStage> model) : IHealthCheck
    where TStage : class, IAsyncDisposable
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(model.IsLoaded ? HealthCheckResult.Healthy($"{model.Name} model loaded")
            : model.LoadError is { } error ? HealthCheckResult.Unhealthy($"{model.Name} model failed to load: {error.Message}", error)
            : HealthCheckResult.Unhealthy($"{model.Name} model is loading"));
}
