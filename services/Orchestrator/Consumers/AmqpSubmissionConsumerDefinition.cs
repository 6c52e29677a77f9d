using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// The plain-AMQP front door: queue <c>cascade.submissions</c> reads raw JSON of any (or no) message type, so a
/// client needs no MassTransit envelope, and nothing is bound to it but the queue itself.
/// </summary>
public sealed class AmqpSubmissionConsumerDefinition : ConsumerDefinition<AmqpSubmissionConsumer>
{
    public const string QueueName = "cascade.submissions";

    public AmqpSubmissionConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AmqpSubmissionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.ClearSerialization();
        endpointConfigurator.UseRawJsonSerializer(RawSerializerOptions.All, isDefault: true);
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.All, isDefault: true);
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<FormatException>();
            r.Intervals(100, 500, 2000);
        });
    }
}
