using Cascade.Classifier.Extensions;
using Cascade.Gate.Extensions;
using Cascade.Orchestrator;
using Cascade.Orchestrator.Extensions;
using Cascade.Orchestrator.Store;
using Cascade.ServiceDefaults;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration.Memory;

namespace Cascade.AllInOne;

/// <summary>Hosts any mix of the three services in one process, on one bus.</summary>
public static class CascadeHost
{
    /// <summary>
    /// All three services on the in-memory transport with an in-memory submission store (unless <c>Bus:Transport</c>
    /// and <c>Orchestrator:Store:Provider</c> say otherwise): the embedded stack behind <c>cascade serve</c>.
    /// </summary>
    public static WebApplication BuildAllInOne(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Build(args, CascadeRoles.All, builder =>
        {
            // Lowest priority: appsettings, environment and command line still choose RabbitMQ if they say so.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData =
                [
                    new($"{BusOptions.Section}:{nameof(BusOptions.Transport)}", nameof(BusTransport.InMemory)),
                    // An in-memory bus loses its queued work with the process, so a durable store would buy nothing.
                    new($"{OrchestratorOptions.Section}:Store:Provider", nameof(StoreProvider.Memory)),
                ],
            });
            configure?.Invoke(builder);
        });

    /// <param name="configure">Runs after the defaults and before the services are added: settings, test servers.</param>
    public static WebApplication Build(string[] args, CascadeRoles roles, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);

        var services = builder.Services;
        var configuration = builder.Configuration;
        if (roles.HasFlag(CascadeRoles.Gate)) services.AddGate(configuration);
        if (roles.HasFlag(CascadeRoles.Classifier)) services.AddClassifier(configuration);
        if (roles.HasFlag(CascadeRoles.Orchestrator)) services.AddOrchestrator(configuration);
        services.AddCascadeBus(configuration, bus =>
        {
            if (roles.HasFlag(CascadeRoles.Gate)) bus.AddGateConsumers();
            if (roles.HasFlag(CascadeRoles.Classifier)) bus.AddClassifierConsumers();
            if (roles.HasFlag(CascadeRoles.Orchestrator)) bus.AddOrchestratorConsumers();
        });

        builder.AddCascadeGrpc();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (roles.HasFlag(CascadeRoles.Orchestrator)) app.MapSubmissionEndpoints().MapWebPage();
        app.MapCascadeGrpc();
        if (roles.HasFlag(CascadeRoles.Gate)) app.MapGateGrpc();
        if (roles.HasFlag(CascadeRoles.Classifier)) app.MapClassifierGrpc();
        if (roles.HasFlag(CascadeRoles.Orchestrator)) app.MapOrchestratorGrpc();
        return app;
    }
}
