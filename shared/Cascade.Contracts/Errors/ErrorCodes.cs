namespace Cascade.Contracts.Errors;

/// <summary>
/// Stable error codes: part of the public API (gRPC <c>google.rpc.ErrorInfo.reason</c>, REST problem details,
/// result <c>errorCode</c>). Clients branch on these, never on messages, so they never change meaning.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The <c>google.rpc.ErrorInfo.domain</c> these codes belong to.</summary>
    public const string Domain = "cascade.v1";

    public const string ImageEmpty = "IMAGE_EMPTY";
    public const string ImageTooLarge = "IMAGE_TOO_LARGE";
    public const string ImageTooManyPixels = "IMAGE_TOO_MANY_PIXELS";
    public const string ImageUnsupportedFormat = "IMAGE_UNSUPPORTED_FORMAT";
    public const string ImageCorrupt = "IMAGE_CORRUPT";

    /// <summary>Whether a code is one of the IMAGE_* refusals: the image, not the service, is at fault.</summary>
    public static bool IsImageError(string? code) => code?.StartsWith("IMAGE_", StringComparison.Ordinal) == true;

    /// <summary>A model's queue is full: back off and retry.</summary>
    public const string Overloaded = "OVERLOADED";
    /// <summary>The stage's model has not loaded (yet, or at all).</summary>
    public const string ModelNotLoaded = "MODEL_NOT_LOADED";
    /// <summary>The message bus cannot take the submission.</summary>
    public const string BusUnavailable = "BUS_UNAVAILABLE";
    /// <summary>No such submission (unknown, or its result has expired).</summary>
    public const string NotFound = "NOT_FOUND";
    /// <summary>A request field other than the image is wrong.</summary>
    public const string InvalidArgument = "INVALID_ARGUMENT";
    /// <summary>The caller's deadline passed before the answer.</summary>
    public const string DeadlineExceeded = "DEADLINE_EXCEEDED";
    /// <summary>An AMQP message that is not a submission (not JSON, wrong field types, bad base64).</summary>
    public const string InvalidMessage = "INVALID_MESSAGE";
    /// <summary>A client request id already used for a different image.</summary>
    public const string IdempotencyConflict = "IDEMPOTENCY_CONFLICT";
    /// <summary>The orchestrator's submission store (database) cannot be reached.</summary>
    public const string StoreUnavailable = "STORE_UNAVAILABLE";
    /// <summary>A result stream's reader fell too far behind and was ended.</summary>
    public const string WatcherTooSlow = "WATCHER_TOO_SLOW";
}
