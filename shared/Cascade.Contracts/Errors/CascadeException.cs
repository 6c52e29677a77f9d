namespace Cascade.Contracts.Errors;

/// <summary>What kind of failure an error is: each front door (gRPC, REST) turns it into its own status.</summary>
public enum ErrorKind
{
    /// <summary>The request cannot succeed as sent (a bad image, a malformed field).</summary>
    InvalidInput,
    /// <summary>The thing asked for does not exist.</summary>
    NotFound,
    /// <summary>Too much work queued; the same request may succeed later.</summary>
    Overloaded,
    /// <summary>A dependency (model, bus) is not there right now; retry later.</summary>
    Unavailable,
    /// <summary>The request contradicts what was sent before (a client request id reused for another image).</summary>
    Conflict,
    /// <summary>The answer did not come within the time allowed.</summary>
    DeadlineExceeded,
}

/// <summary>A failure with a stable <see cref="ErrorCode"/> (see <see cref="ErrorCodes"/>) and a readable message.</summary>
public class CascadeException(ErrorKind kind, string errorCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>Stable string code, e.g. <c>IMAGE_CORRUPT</c>.</summary>
    public string ErrorCode { get; } = errorCode;
}
