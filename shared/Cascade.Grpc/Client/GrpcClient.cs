using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Cascade.Grpc.Protocol;
using Google.Protobuf;

namespace Cascade.Grpc.Client;

/// <summary>
/// gRPC calls over HttpClient with HTTP/2 (prior knowledge on http://, ALPN on https://): unary and server
/// streaming, deadlines sent as <c>grpc-timeout</c>, non-OK statuses thrown as <see cref="GrpcException"/>.
/// </summary>
public sealed class GrpcClient(HttpClient http, int maxReceiveMessageSize = 16 * 1024 * 1024) : IDisposable
{
    public static GrpcClient Create(Uri address) =>
        new(new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan });

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser, TimeSpan? deadline = null, CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using var response = await SendAsync(path, request, deadline, cancellationToken).ConfigureAwait(false);
        var reader = System.IO.Pipelines.PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var message = await GrpcFrames.ReadAsync(reader, parser, maxReceiveMessageSize, cancellationToken).ConfigureAwait(false);
        // Trailers arrive after the body: read to its end before looking for grpc-status.
        if (message is not null && await GrpcFrames.ReadAsync(reader, parser, maxReceiveMessageSize, cancellationToken).ConfigureAwait(false) is not null)
            throw new GrpcException(GrpcStatusCode.Internal, "The server sent more than one message for a unary call.");
        await reader.CompleteAsync().ConfigureAwait(false);
        ThrowOnError(response);
        return message ?? throw new GrpcException(GrpcStatusCode.Internal, "The server sent OK without a response message.");
    }

    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string path, TRequest request, MessageParser<TResponse> parser,
        TimeSpan? deadline = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using var response = await SendAsync(path, request, deadline, cancellationToken).ConfigureAwait(false);
        var reader = System.IO.Pipelines.PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await GrpcFrames.ReadAsync(reader, parser, maxReceiveMessageSize, cancellationToken).ConfigureAwait(false) is { } message)
            yield return message;
        await reader.CompleteAsync().ConfigureAwait(false);
        ThrowOnError(response);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, IMessage request, TimeSpan? deadline, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(GrpcFrames.ToArray(request));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        if (deadline is { } timeout) message.Headers.TryAddWithoutValidation(GrpcTimeout.Header, GrpcTimeout.Format(timeout));
        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            throw new GrpcException(response.StatusCode switch
            {
                HttpStatusCode.BadRequest => GrpcStatusCode.Internal,
                HttpStatusCode.Unauthorized => GrpcStatusCode.Unauthenticated,
                HttpStatusCode.Forbidden => GrpcStatusCode.PermissionDenied,
                HttpStatusCode.NotFound => GrpcStatusCode.Unimplemented,
                HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => GrpcStatusCode.Unavailable,
                _ => GrpcStatusCode.Unknown,
            }, $"HTTP {(int)response.StatusCode} from {path}.");
        }
        // Trailers-Only: the status is in the headers and there is no body.
        if (response.Headers.Contains("grpc-status")) ThrowOnError(response);
        return response;
    }

    private static void ThrowOnError(HttpResponseMessage response)
    {
        // Trailers, or the headers of a Trailers-Only response.
        HttpHeaders headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        if (!headers.TryGetValues("grpc-status", out var values))
            throw new GrpcException(GrpcStatusCode.Internal, "The response ended without grpc-status.");
        var status = (GrpcStatusCode)int.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture);
        if (status == GrpcStatusCode.OK) return;
        headers.TryGetValues("grpc-message", out var messages);
        throw new GrpcException(status, GrpcStatusMessage.Decode(messages?.FirstOrDefault()));
    }

    public void Dispose() => http.Dispose();
}
