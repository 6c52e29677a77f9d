using Cascade.Contracts.Errors;
using MassTransit;
using MassTransit.Middleware;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// The plain-AMQP front door: queue <c>cascade.submissions</c> reads raw JSON of any (or no) message type, so a
/// client needs no MassTransit envelope, and nothing is bound to it but the queue itself. Failures go through
/// <see cref="AmqpRefusalFilter"/> (an answer to the sender) before the usual fault and <c>_error</c> queue.
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
            // The sender's mistakes are answered at once; the store or bus being away is retried.
            r.Ignore<CascadeException>(e => e.Kind != ErrorKind.Unavailable);
            // A body that does not deserialize (MassTransit wraps the JSON error) will not on a retry either.
            r.Ignore<Exception>(e => AmqpRefusalFilter.Find<System.Text.Json.JsonException>(e) is not null);
            r.Intervals(100, 500, 2000, 5000);
        });
        var refusals = context.GetRequiredService<AmqpRefusalFilter>();
        endpointConfigurator.ConfigureError(x =>
        {
            x.UseFilter(refusals);
            x.UseFilter(new GenerateFaultFilter());
            x.UseFilter(new ErrorTransportFilter());
        });
    }
}
