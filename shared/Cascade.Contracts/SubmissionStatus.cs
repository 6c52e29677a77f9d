using System.Text.Json.Serialization;

namespace Cascade.Contracts;

/// <summary>Where a submission is in the cascade. The string form is part of the result JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubmissionStatus>))]
public enum SubmissionStatus
{
    /// <summary>Accepted by the orchestrator (the answer of a submit call that does not wait).</summary>
    Submitted,
    Gating,
    Classifying,
    /// <summary>The classifier answered (a label or unknown).</summary>
    Completed,
    /// <summary>The gate refused the image (no object).</summary>
    Rejected,
    /// <summary>A stage could not process the image; see the error code.</summary>
    Failed,
    /// <summary>A stage did not answer within the stage timeout.</summary>
    TimedOut,
}
