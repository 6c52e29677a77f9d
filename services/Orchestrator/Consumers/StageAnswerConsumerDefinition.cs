using Cascade.Contracts.Errors;
using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// Queue <c>cascade-orchestrator</c>, shared by every orchestrator (competing consumers). A store that cannot be
/// reached is retried for about half a minute before the answer faults to the <c>_error</c> queue.
/// </summary>
public sealed class StageAnswerConsumerDefinition : ConsumerDefinition<StageAnswerConsumer>
{
    public const string QueueName = "cascade-orchestrator";
    private readonly OrchestratorOptions _options;

    public StageAnswerConsumerDefinition(OrchestratorOptions options)
    {
        _options = options;
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<StageAnswerConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        _options.Endpoint.Apply(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<CascadeException>(e => e.Kind != ErrorKind.Unavailable);
            r.Intervals(50, 200, 1000, 2000, 5000, 10000, 15000);
        });
    }
}
