using Cascade.Classifier.Consumers;
using Cascade.Classifier.Grpc;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Grpc;
using Cascade.StageHosting;
using Cascade.ServiceDefaults.Settings;
using MassTransit;
using V1 = Cascade.Protos.V1;

namespace Cascade.Classifier.Extensions;

public static class ClassifierServiceExtensions
{
    /// <summary>The classifier's model (loaded in the background, with its readiness check, also reported by gRPC health) and settings.</summary>
    public static IServiceCollection AddClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ClassifierOptions>(configuration, ClassifierOptions.Section);
        services.AddLoadedModel<ClassifierStage>(configuration, "classifier", (store, sp) => store.CreateClassifier(sp.GetRequiredService<ClassifierOptions>().Pack));
        services.AddGrpcHealthFor(V1.ClassifierService.Descriptor.FullName);
        return services;
    }

    /// <summary>Maps <c>cascade.v1.ClassifierService</c> (readiness under its name: see AddClassifier).</summary>
    public static IEndpointRouteBuilder MapClassifierGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ClassifierGrpcService>();
        return endpoints;
    }

    public static IBusRegistrationConfigurator AddClassifierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ClassifyImageConsumer, ClassifyImageConsumerDefinition>();
        return bus;
    }
}
