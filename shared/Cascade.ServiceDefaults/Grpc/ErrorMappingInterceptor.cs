using Cascade.Contracts.Errors;
using Cascade.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cascade.ServiceDefaults.Grpc;

/// <summary>
/// Turns our exceptions into gRPC statuses for every service, so handlers just throw: a
/// <see cref="CascadeException"/> becomes the status of its <see cref="ErrorKind"/>, with a <c>google.rpc.Status</c>
/// detail carrying a <c>google.rpc.ErrorInfo</c> whose <c>reason</c> is the stable code (domain <c>cascade.v1</c>).
/// Clients read the reason (<c>GetRpcStatus()</c> in .NET, the <c>grpc-status-details-bin</c> trailer elsewhere)
/// instead of parsing messages.
/// </summary>
public sealed class ErrorMappingInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e, context) is { } status)
        {
            throw status.ToRpcException();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e, context) is { } status)
        {
            throw status.ToRpcException();
        }
    }

    /// <summary>The status for an exception of ours; null leaves the exception to gRPC (INTERNAL, or CANCELLED for a client gone).</summary>
    private static Google.Rpc.Status? Map(Exception exception, ServerCallContext context) => exception switch
    {
        CascadeException e => Status(ErrorStatuses.Grpc(e.Kind), e.ErrorCode, e.Message),
        // grpc-dotnet answers DEADLINE_EXCEEDED itself when the deadline timer wins; this covers the handler
        // noticing the cancelled token first, which would otherwise surface as CANCELLED or UNKNOWN.
        OperationCanceledException when context.Deadline <= DateTime.UtcNow =>
            Status(StatusCode.DeadlineExceeded, ErrorCodes.DeadlineExceeded, "The caller's deadline passed before the answer."),
        _ => null,
    };

    private static Google.Rpc.Status Status(StatusCode code, string reason, string message) => new()
    {
        Code = (int)code,
        Message = message,
        Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorCodes.Domain }) },
    };
}
