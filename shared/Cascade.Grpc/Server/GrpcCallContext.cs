using Microsoft.AspNetCore.Http;

namespace Cascade.Grpc.Server;

/// <summary>What a handler knows about its call.</summary>
public sealed class GrpcCallContext(HttpContext http, DateTime? deadline, CancellationToken cancellationToken)
{
    /// <summary>Fires when the client cancels or the deadline passes: stop the work.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;
    /// <summary>UTC deadline from <c>grpc-timeout</c>, if the client sent one.</summary>
    public DateTime? Deadline { get; } = deadline;
    public HttpContext HttpContext { get; } = http;
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;
}
