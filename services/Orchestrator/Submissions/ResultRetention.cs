using Cascade.Orchestrator.Store;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Deletes finished submissions once their retention (<see cref="OrchestratorOptions.ResultRetention"/>) has
/// passed, and the oldest beyond <see cref="StoreOptions.MaxFinished"/>, so the store stays bounded.
/// </summary>
public sealed class ResultRetention(SubmissionStore store, OrchestratorOptions options, TimeProvider time, ILogger<ResultRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A tenth of the retention (at most a second) keeps an expired result from outliving its retention by more than that.
        var interval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, options.ResultRetention.Ticks / 10));
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await store.DeleteExpiredAsync(time.GetUtcNow(), options.Store.MaxFinished, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Deleting expired results failed; retrying next tick");
            }
        }
    }
}
