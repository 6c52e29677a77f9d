using Cascade.Protos;
using MassTransit;
using MassTransit.Serialization;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Outbox;

/// <summary>
/// Results for plain AMQP clients: the one result schema as plain JSON (<see cref="ResultJsonMessage"/>, no
/// MassTransit envelope) on the <c>cascade.results</c> fanout exchange, and to a reply queue. Extensions of any
/// send endpoint provider: the bus, or the receive context of a message being refused.
/// </summary>
public static class ResultPublisher
{
    public const string ResultsExchange = "cascade.results";
    private static readonly Uri ResultsAddress = new($"exchange:{ResultsExchange}?type=fanout");
    private static readonly IMessageSerializer RawJson = new SystemTextJsonRawMessageSerializer(RawSerializerOptions.Default);

    /// <summary>To <c>cascade.results</c> and, when given, <paramref name="replyTo"/>.</summary>
    public static async Task PublishResultAsync(this ISendEndpointProvider sender, V1.Result result, string? replyTo, CancellationToken cancellationToken)
    {
        await sender.SendResultAsync(ResultsAddress, result, cancellationToken).ConfigureAwait(false);
        if (replyTo is { Length: > 0 }) await sender.ReplyAsync(result, replyTo, cancellationToken).ConfigureAwait(false);
    }

    public static Task ReplyAsync(this ISendEndpointProvider sender, V1.Result result, string replyTo, CancellationToken cancellationToken) =>
        sender.SendResultAsync(new Uri($"queue:{replyTo}"), result, cancellationToken);

    private static async Task SendResultAsync(this ISendEndpointProvider sender, Uri address, V1.Result result, CancellationToken cancellationToken)
    {
        var endpoint = await sender.GetSendEndpoint(address).ConfigureAwait(false);
        await endpoint.Send(new ResultJsonMessage(result), s => s.Serializer = RawJson, cancellationToken).ConfigureAwait(false);
    }
}
