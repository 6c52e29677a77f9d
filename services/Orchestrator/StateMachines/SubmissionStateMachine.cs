using Cascade.Contracts;
using Cascade.Orchestrator.Store;

namespace Cascade.Orchestrator.StateMachines;

/// <summary>What applying an event to a submission did.</summary>
public enum Transition
{
    /// <summary>Not for this state (a duplicate, or an answer after the submission ended): nothing changes.</summary>
    Ignored,
    /// <summary>On to the next stage.</summary>
    Moved,
    /// <summary>Entered a final state: the result is set and must be sent.</summary>
    Finished,
}

/// <summary>
/// The cascade of one submission: Gating, then Classifying when the gate accepts, ending Completed, Rejected,
/// Failed or TimedOut. Pure functions on a <see cref="SubmissionRecord"/>; <see cref="SubmissionStore"/> applies
/// them as compare-and-set updates, so an event that lost a race is simply applied again to the new state.
/// A final state never changes: late and duplicate answers are <see cref="Transition.Ignored"/>.
/// </summary>
public sealed class SubmissionStateMachine(OrchestratorOptions options)
{
    public const string StageTimeoutCode = "STAGE_TIMEOUT";
    public const string StageFaultCode = "STAGE_FAULT";

    public static bool IsInFlight(SubmissionStatus status) => status is SubmissionStatus.Gating or SubmissionStatus.Classifying;

    /// <summary>A new submission, waiting for the gate.</summary>
    public SubmissionRecord Start(SubmissionRecord submission, DateTimeOffset now)
    {
        submission.Status = SubmissionStatus.Gating;
        submission.Deadline = now + options.StageTimeout;
        return submission;
    }

    public Transition Gated(SubmissionRecord s, ImageGated answer, DateTimeOffset now)
    {
        // The classifier may have answered first (its answer carries the gate's result): then this is a duplicate.
        if (s.Status != SubmissionStatus.Gating) return Transition.Ignored;
        s.Gate = answer.Gate;
        if (!answer.Accepted) return Finish(s, SubmissionStatus.Rejected, now);
        s.Status = SubmissionStatus.Classifying;
        s.Deadline = now + options.StageTimeout;
        return Transition.Moved;
    }

    public Transition Classified(SubmissionRecord s, ImageClassified answer, DateTimeOffset now)
    {
        if (!IsInFlight(s.Status)) return Transition.Ignored;
        s.Gate = answer.Gate;
        s.Classifier = answer.Classifier;
        s.Label = answer.Label;
        return Finish(s, SubmissionStatus.Completed, now);
    }

    public Transition Failed(SubmissionRecord s, string errorCode, string errorMessage, DateTimeOffset now)
    {
        if (!IsInFlight(s.Status)) return Transition.Ignored;
        s.ErrorCode = errorCode;
        s.ErrorMessage = errorMessage;
        return Finish(s, SubmissionStatus.Failed, now);
    }

    /// <summary>Times the submission out if, in the state it is in now, its stage is still overdue.</summary>
    public Transition TimedOut(SubmissionRecord s, DateTimeOffset now)
    {
        if (!IsInFlight(s.Status) || s.Deadline > now) return Transition.Ignored;
        s.ErrorCode = StageTimeoutCode;
        s.ErrorMessage = $"{s.Status} did not answer within {options.StageTimeout.TotalSeconds:0.###} s.";
        return Finish(s, SubmissionStatus.TimedOut, now);
    }

    private Transition Finish(SubmissionRecord s, SubmissionStatus final, DateTimeOffset now)
    {
        s.Status = final;
        s.Deadline = null;
        s.FinishedAt = now;
        s.ExpiresAt = now + options.ResultRetention;
        return Transition.Finished;
    }

    /// <summary>The result of a finished submission.</summary>
    public static SubmissionFinished Result(SubmissionRecord s)
    {
        if (s.FinishedAt is not { } finishedAt) throw new InvalidOperationException($"Submission {s.Id} has not finished.");
        Verdict? verdict = s.Status switch
        {
            SubmissionStatus.Rejected => Verdict.NoObject,
            SubmissionStatus.Completed => s.Label is null ? Verdict.Unknown : Verdict.Label,
            _ => null,
        };
        return new SubmissionFinished
        {
            SubmissionId = s.Id,
            ClientRequestId = s.ClientRequestId,
            Status = s.Status,
            Verdict = verdict,
            Label = s.Label,
            Gate = s.Gate,
            Classifier = s.Classifier,
            TotalMs = (finishedAt - s.SubmittedAt).TotalMilliseconds,
            ErrorCode = s.ErrorCode,
            ErrorMessage = s.ErrorMessage,
            TraceId = s.TraceId,
            SubmittedAt = s.SubmittedAt,
            FinishedAt = finishedAt,
            ReplyTo = s.ReplyTo,
        };
    }
}
