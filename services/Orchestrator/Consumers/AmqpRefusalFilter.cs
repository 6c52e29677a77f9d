using System.Text.Json;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.Outbox;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// The error pipe of <c>cascade.submissions</c>: every message that could not be submitted gets an answer, a FAILED
/// result with a stable code (<c>INVALID_MESSAGE</c>, <c>IMAGE_TOO_LARGE</c>, <c>IDEMPOTENCY_CONFLICT</c>, ...) on
/// <c>cascade.results</c> and on its reply queue when one can be read. The sender's mistakes end there; a
/// message that failed for any other reason, or whose sender cannot be told, also goes on to the
/// <c>_error</c> queue, so nothing is dropped unseen.
/// </summary>
public sealed class AmqpRefusalFilter(TimeProvider time, ILogger<AmqpRefusalFilter> logger) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var address = AmqpReturnAddress.Read(context);
        var (code, message, sendersMistake) = Describe(context.Exception);
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        // A refused message never became a submission: its own id, so it cannot be taken for the submission of the same client request id.
        var refusal = new V1.Result
        {
            SubmissionId = Guid.NewGuid().ToString(),
            ClientRequestId = address.ClientRequestId ?? "",
            State = V1.State.Failed,
            ErrorCode = code,
            ErrorMessage = message,
            SubmitTime = now,
            CompleteTime = now,
        };
        logger.LogWarning("AMQP message refused with {ErrorCode}: {ErrorMessage} (client request id {ClientRequestId}, reply to {ReplyTo})",
            code, message, address.ClientRequestId, address.ReplyTo);
        await context.SendEndpointProvider.PublishResultAsync(refusal, address.ReplyTo, context.CancellationToken).ConfigureAwait(false);
        if (!sendersMistake || (address.ReplyTo is null && address.ClientRequestId is null)) await next.Send(context).ConfigureAwait(false);
    }

    private static (string Code, string Message, bool SendersMistake) Describe(Exception exception) =>
        Find<CascadeException>(exception) is { } cascade
            ? (cascade.ErrorCode, cascade.Message, cascade.Kind is ErrorKind.InvalidInput or ErrorKind.Conflict)
            : Find<JsonException>(exception) is { } json
                ? (ErrorCodes.InvalidMessage, $"The message is not a submission {{\"clientRequestId\": string, \"imageBase64\": string, \"replyTo\": string}}: {json.Message}", true)
                : ("INTERNAL", $"The submission could not be taken: {exception.GetBaseException().Message}", false);

    /// <summary>The exception or the first of its inner ones of type <typeparamref name="T"/> (MassTransit wraps what the deserializer threw).</summary>
    public static T? Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is T found) return found;
        return null;
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("amqp-refusal");
}
