namespace Cascade.Grpc.Protocol;

/// <summary>A call that ends with a non-OK status: thrown by handlers to answer with it, and by the client on receiving one.</summary>
public sealed class GrpcException(GrpcStatusCode status, string message) : Exception(message)
{
    public GrpcStatusCode Status { get; } = status;
}
