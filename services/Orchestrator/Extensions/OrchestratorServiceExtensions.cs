using Cascade.Orchestrator.Consumers;
using Cascade.Orchestrator.Grpc;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Grpc;
using Cascade.ServiceDefaults.Settings;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Extensions;

public static class OrchestratorServiceExtensions
{
    /// <summary>
    /// The submission store and outbox, the submission service, deadline monitor and result retention; gRPC
    /// health under the service's name. Call before AddCascadeBus: the store's schema is made before the bus starts.
    /// </summary>
    public static IServiceCollection AddOrchestrator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<OrchestratorOptions>(configuration, OrchestratorOptions.Section, o => o.Validate());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSubmissionStore(configuration);
        services.AddSingleton<SubmissionStateMachine>();
        services.AddSingleton<ResultSubscriptions>();
        services.AddSingleton<SubmissionProgress>();
        services.AddSingleton<InFlightLimit>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<AmqpRefusalFilter>();
        services.AddSingleton<AnswerListening>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<AnswerListening>());
        services.AddHostedService<DeadlineMonitor>();
        services.AddHostedService<ResultRetention>();
        services.AddHostedService<ClaimCheckJanitor>();
        services.AddGrpcHealthFor(V1.OrchestratorService.Descriptor.FullName);
        return services;
    }

    /// <summary>Maps <c>cascade.v1.OrchestratorService</c>.</summary>
    public static IEndpointRouteBuilder MapOrchestratorGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<OrchestratorGrpcService>();
        return endpoints;
    }

    /// <summary>The stage answers (shared queue), this orchestrator's result notifications (its own queue) and the AMQP front door.</summary>
    public static IBusRegistrationConfigurator AddOrchestratorConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<StageAnswerConsumer, StageAnswerConsumerDefinition>();
        bus.AddConsumer<SubmissionFinishedConsumer, SubmissionFinishedConsumerDefinition>();
        bus.AddConsumer<AmqpSubmissionConsumer, AmqpSubmissionConsumerDefinition>();
        return bus;
    }
}
