using Cascade.Orchestrator.Consumers;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Settings;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cascade.Orchestrator.Extensions;

public static class OrchestratorServiceExtensions
{
    /// <summary>Submission service, result store, deadline monitor and result retention.</summary>
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
        return services;
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
