using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>Queue <c>cascade-orchestrator-results</c>.</summary>
public sealed class SubmissionFinishedConsumerDefinition : ConsumerDefinition<SubmissionFinishedConsumer>
{
    public SubmissionFinishedConsumerDefinition()
    {
        EndpointName = "cascade-orchestrator-results";
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SubmissionFinishedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000));
}
