using System.Text.Json;
using Cascade.Orchestrator.Submissions;
using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>Where the answer to a plain AMQP message goes, read from whatever of it can be read.</summary>
public sealed record AmqpReturnAddress(string? ClientRequestId, string? ReplyTo)
{
    /// <summary>
    /// The body's <c>clientRequestId</c> and <c>replyTo</c> when they are strings within our limits (a malformed body
    /// may still have them), else the AMQP <c>reply_to</c> property. Invalid values are left out, never trusted.
    /// </summary>
    public static AmqpReturnAddress Read(ReceiveContext context)
    {
        string? clientRequestId = null, replyTo = null;
        try
        {
            using var body = JsonDocument.Parse(context.Body.GetBytes());
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                clientRequestId = StringProperty(body.RootElement, "clientRequestId");
                replyTo = StringProperty(body.RootElement, "replyTo");
            }
        }
        catch (JsonException)
        {
            // Not JSON: only the AMQP properties can say where to answer.
        }
        replyTo ??= ReplyToProperty(context);
        if (clientRequestId is { Length: 0 or > SubmissionLimits.MaxClientRequestIdLength } || clientRequestId?.Any(char.IsControl) == true) clientRequestId = null;
        if (replyTo is not null && !SubmissionLimits.IsValidReplyTo(replyTo, out _)) replyTo = null;
        return new AmqpReturnAddress(clientRequestId, replyTo);
    }

    /// <summary>The AMQP <c>reply_to</c> property of a message from RabbitMQ.</summary>
    public static string? ReplyToProperty(ReceiveContext context) =>
        context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) && rabbit.Properties.ReplyTo is { Length: > 0 } replyTo ? replyTo : null;

    private static string? StringProperty(JsonElement body, string name)
    {
        foreach (var property in body.EnumerateObject())
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        return null;
    }
}
