using Cascade.Orchestrator.Consumers;
using Cascade.Orchestrator.Grpc;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Grpc;
using Cascade.ServiceDefaults.Settings;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Extensions;

public static class OrchestratorServiceExtensions
{
    /// <summary>Submission service, result store, deadline monitor and result retention; gRPC health under the service's name.</summary>
    public static IServiceCollection AddOrchestrator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<OrchestratorOptions>(configuration, OrchestratorOptions.Section, o => o.Validate());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ResultStore>();
        services.AddSingleton<FinishSubmissionActivity>();
        services.AddSingleton<SubmissionService>();
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

    /// <summary>
    /// The submission saga (in-memory repository: the EF Core, Redis and other saga stores are not on the
    /// package registry here, so one orchestrator instance owns its sagas) and the orchestrator's consumers.
    /// </summary>
    public static IBusRegistrationConfigurator AddOrchestratorConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddSagaStateMachine<SubmissionStateMachine, SubmissionState, SubmissionStateMachineDefinition>().InMemoryRepository();
        bus.AddConsumer<AmqpSubmissionConsumer, AmqpSubmissionConsumerDefinition>();
        return bus;
    }
}
