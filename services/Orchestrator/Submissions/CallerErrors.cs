using Cascade.Contracts;
using Cascade.Contracts.Errors;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// For the front doors that wait for the result (gRPC Classify, REST classify): a submission that failed for a
/// reason the caller can act on is an error status, as a direct stage call would give, not a 200 with state
/// FAILED. A bad image is the caller's (400 / INVALID_ARGUMENT); a full model queue says back off (429 /
/// RESOURCE_EXHAUSTED); a model, bus or store not there says retry later (503 / UNAVAILABLE). A stage timeout or
/// fault stays a result: it is the cascade's, and it is final.
/// </summary>
public static class CallerErrors
{
    public static void ThrowIfCallersError(SubmissionFinished result)
    {
        if (result.Status != SubmissionStatus.Failed || result.ErrorCode is not { } code) return;
        ErrorKind? kind = code switch
        {
            _ when ErrorCodes.IsImageError(code) => ErrorKind.InvalidInput,
            ErrorCodes.Overloaded => ErrorKind.Overloaded,
            ErrorCodes.ModelNotLoaded or ErrorCodes.BusUnavailable or ErrorCodes.StoreUnavailable => ErrorKind.Unavailable,
            ErrorCodes.DeadlineExceeded => ErrorKind.DeadlineExceeded,
            _ => null,
        };
        if (kind is { } k) throw new CascadeException(k, code, result.ErrorMessage ?? code);
    }
}
