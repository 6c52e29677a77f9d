using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// Submissions from plain AMQP clients: raw JSON on the <c>cascade.submissions</c> queue. Bad base64 is a poison
/// message: it faults without retries into <c>cascade.submissions_error</c>.
/// </summary>
public sealed class AmqpSubmissionConsumer(SubmissionService submissions) : IConsumer<AmqpSubmission>
{
    public async Task Consume(ConsumeContext<AmqpSubmission> context)
    {
        var message = context.Message;
        var image = Convert.FromBase64String(message.ImageBase64);
        await submissions.SubmitAsync(image, message.ClientRequestId, message.ReplyTo, cancellationToken: context.CancellationToken);
    }
}
