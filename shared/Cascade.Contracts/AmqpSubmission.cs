namespace Cascade.Contracts;

/// <summary>
/// What a plain AMQP client (no MassTransit) publishes to the <c>cascade.submissions</c> queue, as raw JSON:
/// <c>{"clientRequestId": "...", "imageBase64": "...", "replyTo": "queue"}</c>.
/// </summary>
public sealed record AmqpSubmission
{
    public string? ClientRequestId { get; init; }
    public string ImageBase64 { get; init; } = "";
    public string? ReplyTo { get; init; }
}
