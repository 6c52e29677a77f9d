using Cascade.Gate.Consumers;
using Cascade.Gate.Grpc;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Grpc;
using Cascade.StageHosting;
using Cascade.ServiceDefaults.Settings;
using MassTransit;
using V1 = Cascade.Protos.V1;

namespace Cascade.Gate.Extensions;

public static class GateServiceExtensions
{
    /// <summary>The gate's model (loaded in the background, with its readiness check, also reported by gRPC health) and settings.</summary>
    public static IServiceCollection AddGate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<GateOptions>(configuration, GateOptions.Section);
        services.AddLoadedModel<GateStage>(configuration, "gate", (store, sp) =>
        {
            var options = sp.GetRequiredService<GateOptions>();
            return store.CreateGate(options.Pack, options.Threshold);
        });
        services.AddGrpcHealthFor(V1.GateService.Descriptor.FullName);
        return services;
    }

    /// <summary>Maps <c>cascade.v1.GateService</c> (readiness under its name: see AddGate).</summary>
    public static IEndpointRouteBuilder MapGateGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<GateGrpcService>();
        return endpoints;
    }

    public static IBusRegistrationConfigurator AddGateConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GateImageConsumer, GateImageConsumerDefinition>();
        return bus;
    }
}
