using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cascade.Protos.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cascade.Cli.Commands;

/// <summary>The orchestrator's gRPC API as the CLI uses it: `classify --server`, `submit`, `watch`, `bench --server`.</summary>
internal sealed class CascadeServer : IDisposable
{
    private readonly Uri _address;
    private readonly GrpcChannel _channel;
    private readonly OrchestratorService.OrchestratorServiceClient _client;

    public CascadeServer(Uri address)
    {
        _address = address;
        _channel = GrpcChannel.ForAddress(address);
        _client = new OrchestratorService.OrchestratorServiceClient(_channel);
    }

    /// <summary>The caller's buffer as the request's bytes, not a copy of it per call (on the large-object heap for a photo over 85 KB): callers never write to it.</summary>
    private static ByteString Bytes(byte[] image) => UnsafeByteOperations.UnsafeWrap(image);

    public async Task<Result> ClassifyAsync(byte[] image, TimeSpan deadline, CancellationToken cancellationToken) =>
        await Reaching(() => _client.ClassifyAsync(new ClassifyRequest { Image = Bytes(image) }, deadline: DateTime.UtcNow + deadline,
            cancellationToken: cancellationToken).ResponseAsync);

    public async Task<string> SubmitAsync(byte[] image, string? clientRequestId, CancellationToken cancellationToken) =>
        (await Reaching(() => _client.SubmitAsync(new ClassifyRequest { Image = Bytes(image), ClientRequestId = clientRequestId ?? "" },
            deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ResponseAsync)).SubmissionId;

    public async IAsyncEnumerable<Result> WatchAsync(IEnumerable<string> ids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _client.WatchResults(new WatchResultsRequest { SubmissionIds = { ids } }, cancellationToken: cancellationToken);
        while (await Reaching(() => call.ResponseStream.MoveNext(cancellationToken)))
            yield return call.ResponseStream.Current;
    }

    /// <summary>Runs a call; failing to reach a Cascade gRPC endpoint at all ends the command with what to fix.</summary>
    private async Task<T> Reaching<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        // A failed connection (grpc-dotnet reports it from its subchannel, with the socket error as the debug exception)
        // or an HTTP-level failure: the call never reached a Cascade gRPC service.
        catch (RpcException e) when (e.Status.DebugException is HttpRequestException or SocketException)
        {
            throw new CommandFailedException(NotReached(e.Status.DebugException), e);
        }
    }

    private string NotReached(Exception failure)
    {
        var causes = Causes(failure).ToList();
        // Kestrel answers HTTP/2 prior knowledge on an HTTP/1.1 endpoint with HTTP_1_1_REQUIRED, or the handshake just fails.
        if (causes.Any(c => c.Message.Contains("HTTP_1_1_REQUIRED", StringComparison.Ordinal) || c.Message.Contains("HTTP/2 handshake", StringComparison.Ordinal)))
            return $"{_address} answers HTTP/1.1 only: that is the REST and web port, not gRPC. Point --server at the gRPC port " +
                "(Grpc:Port; `cascade serve` listens on http://127.0.0.1:5001).";
        if (causes.OfType<SocketException>().Any(s => s.SocketErrorCode == SocketError.ConnectionRefused))
            return $"no Cascade server at {_address} (connection refused). Start one with `cascade serve` (gRPC on http://127.0.0.1:5001) or fix --server.";
        return $"cannot reach the Cascade gRPC server at {_address}: {string.Join(" ", causes.Select(c => c.Message))} Check --server.";
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException) yield return cause;
    }

    /// <summary>A result as a `classify` row; an RPC error becomes a FAILED row with the error code (the ErrorInfo reason, else the status).</summary>
    public async Task<ClassificationRow> ClassifyRowAsync(ImageFile file, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            return new ClassificationRow(file.Path, file.Name, await ClassifyAsync(await File.ReadAllBytesAsync(file.Path, cancellationToken), deadline, cancellationToken));
        }
        catch (RpcException e)
        {
            return ClassificationRow.Failure(file, ErrorCodeOf(e), e.Status.Detail);
        }
    }

    /// <summary>The stable code from the status's <c>google.rpc.ErrorInfo</c>, or the status name (<c>DEADLINE_EXCEEDED</c>) when there is none.</summary>
    internal static string ErrorCodeOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? JsonNamingPolicy.SnakeCaseUpper.ConvertName(e.StatusCode.ToString());

    public void Dispose() => _channel.Dispose();
}
