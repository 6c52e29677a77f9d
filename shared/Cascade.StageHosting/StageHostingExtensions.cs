using Cascade.Imaging;
using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.ServiceDefaults;
using Cascade.ServiceDefaults.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cascade.StageHosting;

public static class StageHostingExtensions
{
    /// <summary>
    /// Loads a stage from the model directory (section <c>Inference</c>) in the background and adds its
    /// readiness check (tag "ready"), and the forwarding from the gate to the classifier (backbone outputs, decoded pixels).
    /// </summary>
    public static IServiceCollection AddLoadedModel<TStage>(this IServiceCollection services, IConfiguration configuration, string name, Func<ModelStore, IServiceProvider, TStage> create)
        where TStage : class, IAsyncDisposable
    {
        services.AddSettings<InferenceOptions>(configuration, InferenceOptions.Section, o => o.Validate());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<InferenceOptions>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            VipsLog.RouteTo(loggers);
            return new LoadedModel<TStage>(name, () => create(new ModelStore(options, loggers), sp), loggers.CreateLogger<LoadedModel<TStage>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<LoadedModel<TStage>>());
        services.AddSingleton<ILoadedModel>(sp => sp.GetRequiredService<LoadedModel<TStage>>());
        services.TryAddSingleton<StageForwarding>();
        services.AddHealthChecks().AddCheck<ModelLoadedHealthCheck<TStage>>($"{name}-model", tags: [HealthTags.Ready]);
        return services;
    }
}
