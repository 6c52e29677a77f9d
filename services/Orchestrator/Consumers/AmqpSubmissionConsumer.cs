using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.Submissions;
using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// Submissions from plain AMQP clients: raw JSON on the <c>cascade.submissions</c> queue. The reply queue is the
/// body's <c>replyTo</c>, else the message's AMQP <c>reply_to</c>. What cannot be submitted (bad base64, an image
/// over the limit, a bad reply queue...) is answered by <see cref="AmqpRefusalFilter"/>.
/// </summary>
public sealed class AmqpSubmissionConsumer(SubmissionService submissions, OrchestratorOptions options) : IConsumer<AmqpSubmission>
{
    public async Task Consume(ConsumeContext<AmqpSubmission> context)
    {
        var message = context.Message;
        if (string.IsNullOrEmpty(message.ImageBase64))
            throw new CascadeException(ErrorKind.InvalidInput, ErrorCodes.ImageEmpty, "Field 'imageBase64' is missing or empty.");
        // Refused before decoding: base64 is 4 characters for every 3 bytes.
        SubmissionLimits.CheckImage((int)Math.Min(int.MaxValue, message.ImageBase64.Length / 4L * 3), options.MaxImageBytes);
        byte[] image;
        try
        {
            image = Convert.FromBase64String(message.ImageBase64);
        }
        catch (FormatException)
        {
            throw new CascadeException(ErrorKind.InvalidInput, ErrorCodes.InvalidMessage, "Field 'imageBase64' is not valid base64.");
        }
        var replyTo = message.ReplyTo ?? AmqpReturnAddress.ReplyToProperty(context.ReceiveContext);
        await submissions.SubmitAsync(image, message.ClientRequestId, replyTo, cancellationToken: context.CancellationToken);
    }
}
