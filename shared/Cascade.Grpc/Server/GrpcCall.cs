using Cascade.Grpc.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cascade.Grpc.Server;

/// <summary>
/// One gRPC call on an ASP.NET Core request: checks the headers, reads the request frame, runs the handler
/// under the call's deadline, writes the response frames and ends with status trailers - or, for errors before
/// any message, a Trailers-Only response.
/// </summary>
internal static class GrpcCall
{
    public const string ContentType = "application/grpc";

    public static Task UnaryAsync<TRequest, TResponse>(HttpContext http, GrpcServerOptions options, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse> =>
        RunAsync<TRequest>(http, options, async (request, context) =>
        {
            var response = await handler(request, context).WaitAsync(context.CancellationToken).ConfigureAwait(false);
            await StartAsync(http).ConfigureAwait(false);
            GrpcFrames.Write(http.Response.BodyWriter, response);
            await http.Response.BodyWriter.FlushAsync(context.CancellationToken).ConfigureAwait(false);
        });

    public static Task ServerStreamingAsync<TRequest, TResponse>(HttpContext http, GrpcServerOptions options, Func<TRequest, Func<TResponse, Task>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse> =>
        RunAsync<TRequest>(http, options, (request, context) =>
        {
            async Task WriteAsync(TResponse message)
            {
                await StartAsync(http).ConfigureAwait(false);
                GrpcFrames.Write(http.Response.BodyWriter, message);
                await http.Response.BodyWriter.FlushAsync(context.CancellationToken).ConfigureAwait(false);
            }
            return handler(request, WriteAsync, context).WaitAsync(context.CancellationToken);
        });

    private static async Task RunAsync<TRequest>(HttpContext http, GrpcServerOptions options, Func<TRequest, GrpcCallContext, Task> respond)
        where TRequest : class, IMessage<TRequest>, new()
    {
        if (!IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        http.Response.ContentType = ContentType;

        var encoding = http.Request.Headers["grpc-encoding"].ToString();
        if (encoding.Length > 0 && encoding != "identity")
        {
            http.Response.Headers["grpc-accept-encoding"] = "identity";
            await EndAsync(http, GrpcStatusCode.Unimplemented, $"Message encoding '{encoding}' is not supported; use identity.").ConfigureAwait(false);
            return;
        }

        DateTime? deadline = null;
        using var deadlineSource = new CancellationTokenSource();
        var timeoutHeader = http.Request.Headers[GrpcTimeout.Header].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader, out var timeout))
            {
                await EndAsync(http, GrpcStatusCode.Internal, $"Malformed grpc-timeout '{timeoutHeader}'.").ConfigureAwait(false);
                return;
            }
            deadline = DateTime.UtcNow + timeout;
            deadlineSource.CancelAfter(timeout);
        }
        using var callSource = CancellationTokenSource.CreateLinkedTokenSource(deadlineSource.Token, http.RequestAborted);
        var context = new GrpcCallContext(http, deadline, callSource.Token);
        // Message size is enforced per frame (RESOURCE_EXHAUSTED), not by Kestrel's request body limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = null;

        try
        {
            var parser = new MessageParser<TRequest>(() => new TRequest());
            var request = await GrpcFrames.ReadAsync(http.Request.BodyReader, parser, options.MaxReceiveMessageSize, callSource.Token).ConfigureAwait(false)
                ?? throw new GrpcException(GrpcStatusCode.Internal, "The request has no message.");
            if (await GrpcFrames.ReadAsync(http.Request.BodyReader, parser, options.MaxReceiveMessageSize, callSource.Token).ConfigureAwait(false) is not null)
                throw new GrpcException(GrpcStatusCode.Internal, "A unary or server-streaming request must carry exactly one message.");
            await respond(request, context).ConfigureAwait(false);
            await EndAsync(http, GrpcStatusCode.OK, null).ConfigureAwait(false);
        }
        catch (GrpcException e)
        {
            await EndAsync(http, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadlineSource.IsCancellationRequested)
        {
            await EndAsync(http, GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client is gone; nobody reads a status.
        }
        catch (Exception e)
        {
            http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Cascade.Grpc").LogError(e, "gRPC handler {Path} failed", http.Request.Path);
            await EndAsync(http, GrpcStatusCode.Internal, "Internal error.").ConfigureAwait(false);
        }
    }

    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null && (contentType == ContentType || contentType.StartsWith(ContentType + "+", StringComparison.Ordinal) || contentType.StartsWith(ContentType + ";", StringComparison.Ordinal));

    private static Task StartAsync(HttpContext http) => http.Response.HasStarted ? Task.CompletedTask : http.Response.StartAsync();

    /// <summary>Status in trailers after messages, or in the headers of a Trailers-Only response before any.</summary>
    public static async Task EndAsync(HttpContext http, GrpcStatusCode status, string? message)
    {
        if (http.RequestAborted.IsCancellationRequested) return;
        var statusText = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!http.Response.HasStarted)
        {
            http.Response.ContentType = ContentType;
            http.Response.Headers["grpc-status"] = statusText;
            if (!string.IsNullOrEmpty(message)) http.Response.Headers["grpc-message"] = GrpcStatusMessage.Encode(message);
            return;
        }
        await http.Response.BodyWriter.FlushAsync().ConfigureAwait(false);
        http.Response.AppendTrailer("grpc-status", statusText);
        if (!string.IsNullOrEmpty(message)) http.Response.AppendTrailer("grpc-message", GrpcStatusMessage.Encode(message));
    }
}
