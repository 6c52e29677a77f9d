using System.Text.Json.Serialization;

namespace Cascade.Contracts;

/// <summary>Where a submission is in the cascade. The string form is part of the result JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubmissionStatus>))]
public enum SubmissionStatus
{
    /// <summary>Accepted by the orchestrator, not yet picked up by the saga.</summary>
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
