using Cascade.Gate.Consumers;
using Cascade.Gate.Grpc;
using Cascade.Grpc.Server;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Models;
using Cascade.ServiceDefaults.Settings;
using MassTransit;

namespace Cascade.Gate.Extensions;

public static class GateServiceExtensions
{
    /// <summary>The gate's model (loaded in the background, with its readiness check) and settings.</summary>
    public static IServiceCollection AddGate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<GateOptions>(configuration, GateOptions.Section);
        services.AddLoadedModel<GateStage>(configuration, "gate", (store, sp) =>
        {
            var options = sp.GetRequiredService<GateOptions>();
            return store.CreateGate(options.Pack, options.Threshold);
        });
        return services;
    }

    /// <summary>Maps <c>cascade.v1.GateService</c>; returns its name for the health service.</summary>
    public static string MapGateGrpc(this IEndpointRouteBuilder endpoints)
    {
        var service = new GateGrpcService(endpoints.ServiceProvider.GetRequiredService<LoadedModel<GateStage>>());
        endpoints.MapGrpcService(service.Definition());
        return GateGrpcService.Name;
    }

    public static IBusRegistrationConfigurator AddGateConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GateImageConsumer, GateImageConsumerDefinition>();
        return bus;
    }
}
