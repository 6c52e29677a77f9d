namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The fields of a result on a reply queue (the proto3 JSON of <c>cascade.v1.Result</c>) that tell results apart:
/// the same result sent twice (a redelivery, an answer to a resubmission) has the same submission, state and
/// completion time; a second, different final result for one submission does not.
/// </summary>
public sealed record AmqpResult(string SubmissionId, string State, string? ErrorCode, string? CompleteTime)
{
    public static readonly IReadOnlySet<string> FinalStates = new HashSet<string> { "COMPLETED", "REJECTED", "FAILED", "TIMED_OUT" };

    public bool IsFinal => FinalStates.Contains(State);

    public override string ToString() => $"{State}{(ErrorCode is null ? "" : $" {ErrorCode}")} at {CompleteTime ?? "?"} (submission {SubmissionId})";
}
