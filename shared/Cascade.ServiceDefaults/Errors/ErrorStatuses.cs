using Cascade.Contracts.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Cascade.ServiceDefaults.Errors;

/// <summary>
/// The one mapping from an error's <see cref="ErrorKind"/> to each front door's status: gRPC (ErrorMappingInterceptor)
/// and HTTP (the REST API's problem details), so the two always agree. The HTTP column follows Google's
/// gRPC-to-HTTP mapping; only an image over the size limit says 413, which HTTP clients know.
/// </summary>
public static class ErrorStatuses
{
    public static StatusCode Grpc(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.Overloaded => StatusCode.ResourceExhausted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.Conflict => StatusCode.AlreadyExists,
        ErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    public static int Http(ErrorKind kind, string errorCode) => kind switch
    {
        ErrorKind.InvalidInput when errorCode == ErrorCodes.ImageTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.InvalidInput => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Overloaded => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Seconds a client should wait before retrying (HTTP <c>Retry-After</c>), for the kinds where a retry can succeed.</summary>
    public static int? RetryAfterSeconds(ErrorKind kind) => kind switch
    {
        ErrorKind.Overloaded => 1,
        ErrorKind.Unavailable => 5,
        _ => null,
    };
}
