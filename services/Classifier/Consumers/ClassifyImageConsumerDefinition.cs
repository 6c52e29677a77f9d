using Cascade.Contracts;
using Cascade.ServiceDefaults.Bus;
using MassTransit;

namespace Cascade.Classifier.Consumers;

/// <summary>Queue <c>cascade-classifier</c>, shared by every classifier instance (competing consumers).</summary>
public sealed class ClassifyImageConsumerDefinition : ConsumerDefinition<ClassifyImageConsumer>
{
    private readonly ClassifierOptions _options;

    public ClassifyImageConsumerDefinition(ClassifierOptions options)
    {
        _options = options;
        EndpointName = CommandQueues.Classifier;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ClassifyImageConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        _options.Endpoint.Apply(endpointConfigurator);
        endpointConfigurator.UseStageRetry();
    }
}
