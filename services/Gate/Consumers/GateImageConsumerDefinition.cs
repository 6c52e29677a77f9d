using Cascade.Contracts;
using Cascade.ServiceDefaults.Bus;
using MassTransit;

namespace Cascade.Gate.Consumers;

/// <summary>Queue <c>cascade-gate</c>, shared by every gate instance (competing consumers).</summary>
public sealed class GateImageConsumerDefinition : ConsumerDefinition<GateImageConsumer>
{
    private readonly GateOptions _options;

    public GateImageConsumerDefinition(GateOptions options)
    {
        _options = options;
        EndpointName = CommandQueues.Gate;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<GateImageConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        _options.Endpoint.Apply(endpointConfigurator);
        endpointConfigurator.UseStageRetry();
    }
}
