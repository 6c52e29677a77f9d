using MassTransit;

namespace Cascade.Orchestrator.StateMachines;

/// <summary>
/// Queue <c>cascade-orchestrator</c>. The in-memory outbox holds the saga's publishes until the transition is
/// stored, so a fast answer cannot overtake the state it answers.
/// </summary>
public sealed class SubmissionStateMachineDefinition : SagaDefinition<SubmissionState>
{
    private readonly OrchestratorOptions _options;

    public SubmissionStateMachineDefinition(OrchestratorOptions options)
    {
        _options = options;
        EndpointName = "cascade-orchestrator";
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<SubmissionState> sagaConfigurator,
        IRegistrationContext context)
    {
        _options.Endpoint.Apply(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(r => r.Intervals(50, 200, 1000));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
