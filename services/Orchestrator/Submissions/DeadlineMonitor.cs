using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Stage timeouts (and, on the same tick, the in-flight count the front doors admit by), as state transitions in
/// the store rather than messages: every tick, overdue submissions are timed out compare-and-set, each re-checked in its current state, so a timeout fires at most once per
/// submission whichever orchestrator sees it, and nothing floods the broker. Nothing times out while this
/// orchestrator is not taking answers, nor for one stage timeout after it starts again: answers that queued
/// meanwhile (an orchestrator restart, a broker restart) are read first.
/// (A scan of the stored deadlines, not a scheduled message per submission: a scheduled timeout would still have to
/// re-read the state before firing, and it would need a scheduler besides the database that already holds the deadline.)
/// </summary>
public sealed class DeadlineMonitor(
    SubmissionStore store,
    SubmissionProgress progress,
    SubmissionStateMachine machine,
    AnswerListening listening,
    InFlightLimit limit,
    OrchestratorOptions options,
    TimeProvider time,
    ILogger<DeadlineMonitor> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.DeadlineScanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await ScanAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Deadline scan failed; retrying next tick");
            }
        }
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        limit.Refresh(await store.CountInFlightAsync(cancellationToken).ConfigureAwait(false));
        var now = time.GetUtcNow();
        if (listening.Since is not { } since || since + options.StageTimeout > now) return;
        foreach (var id in await store.OverdueAsync(now, BatchSize, cancellationToken).ConfigureAwait(false))
            await progress.ApplyAsync(id, "timeout", machine.TimedOut, cancellationToken).ConfigureAwait(false);
    }
}
