using Cascade.Classifier.Consumers;
using Cascade.Classifier.Grpc;
using Cascade.Grpc.Server;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Models;
using Cascade.ServiceDefaults.Settings;
using MassTransit;

namespace Cascade.Classifier.Extensions;

public static class ClassifierServiceExtensions
{
    /// <summary>The classifier's model (loaded in the background, with its readiness check) and settings.</summary>
    public static IServiceCollection AddClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ClassifierOptions>(configuration, ClassifierOptions.Section);
        services.AddLoadedModel<ClassifierStage>(configuration, "classifier", (store, sp) => store.CreateClassifier(sp.GetRequiredService<ClassifierOptions>().Pack));
        return services;
    }

    /// <summary>Maps <c>cascade.v1.ClassifierService</c>; returns its name for the health service.</summary>
    public static string MapClassifierGrpc(this IEndpointRouteBuilder endpoints)
    {
        var service = new ClassifierGrpcService(endpoints.ServiceProvider.GetRequiredService<LoadedModel<ClassifierStage>>());
        endpoints.MapGrpcService(service.Definition());
        return ClassifierGrpcService.Name;
    }

    public static IBusRegistrationConfigurator AddClassifierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ClassifyImageConsumer, ClassifyImageConsumerDefinition>();
        return bus;
    }
}
