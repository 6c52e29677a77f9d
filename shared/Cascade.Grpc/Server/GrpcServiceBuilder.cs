using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cascade.Grpc.Server;

/// <summary>Declares one gRPC service's methods; map it with <see cref="GrpcEndpointExtensions.MapGrpcService"/>.</summary>
public sealed class GrpcServiceBuilder(string serviceName)
{
    private readonly List<(string Method, Func<HttpContext, GrpcServerOptions, Task> Handle)> _methods = [];

    /// <summary>Full service name, e.g. <c>cascade.v1.OrchestratorService</c>.</summary>
    public string ServiceName { get; } = serviceName;
    public IEnumerable<string> Paths => _methods.Select(m => $"/{ServiceName}/{m.Method}");
    internal IReadOnlyList<(string Method, Func<HttpContext, GrpcServerOptions, Task> Handle)> Methods => _methods;

    public GrpcServiceBuilder Unary<TRequest, TResponse>(string method, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        _methods.Add((method, (http, options) => GrpcCall.UnaryAsync(http, options, handler)));
        return this;
    }

    /// <param name="handler">Gets the request and a writer for response messages; returns when the stream ends.</param>
    public GrpcServiceBuilder ServerStreaming<TRequest, TResponse>(string method, Func<TRequest, Func<TResponse, Task>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        _methods.Add((method, (http, options) => GrpcCall.ServerStreamingAsync(http, options, handler)));
        return this;
    }
}
