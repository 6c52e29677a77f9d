using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Cascade.ServiceDefaults.Metrics;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Applies one event (a stage's answer, a timeout) to a submission: the state machine's transition, stored
/// compare-and-set. A submission that finishes is counted, logged and handed to this process's waiters here,
/// exactly once, whichever orchestrator applies it. Answers that change nothing are logged, never faulted:
/// they are duplicates (redeliveries) or came after the submission ended.
/// </summary>
public sealed class SubmissionProgress(SubmissionStore store, ResultSubscriptions subscriptions, ILogger<SubmissionProgress> logger)
{
    public async Task ApplyAsync(Guid id, string what, Func<SubmissionRecord, DateTimeOffset, Transition> transition, CancellationToken cancellationToken)
    {
        if (await store.TransitionAsync(id, transition, cancellationToken).ConfigureAwait(false) is not ({ } submission, var applied))
        {
            logger.LogWarning("{What} for submission {SubmissionId}, which the store does not have (expired, or never stored): discarded", what, id);
            return;
        }
        switch (applied)
        {
            case Transition.Ignored when submission.IsFinished:
                logger.Log(LevelFor(submission.Status),
                    "Late {What} for submission {SubmissionId}, which had ended {Status} ({ErrorCode}) at {FinishedAt:O}: discarded",
                    what, id, submission.Status, submission.ErrorCode, submission.FinishedAt);
                break;
            case Transition.Finished:
                var result = SubmissionStateMachine.Result(submission);
                // Metrics first: whoever is woken by the result and then scrapes /metrics must find it counted.
                ServiceMetrics.RecordFinished(result);
                subscriptions.Complete(result);
                // One line per submission: Debug when it was answered (the metrics count those), Warning when it failed or timed out.
                logger.Log(LevelFor(result.Status),
                    "Submission finished {Status}: {Verdict} {Label} in {TotalMs:0.0} ms {ErrorCode} (trace {TraceId})",
                    result.Status, result.Verdict, result.Label, result.TotalMs, result.ErrorCode, result.TraceId);
                break;
        }
    }

    private static LogLevel LevelFor(Contracts.SubmissionStatus status) =>
        status is Contracts.SubmissionStatus.TimedOut or Contracts.SubmissionStatus.Failed ? LogLevel.Warning : LogLevel.Debug;
}
