namespace Cascade.Orchestrator.Submissions;

/// <summary>Forgets finished results once their retention (<see cref="OrchestratorOptions.ResultRetention"/>) has passed.</summary>
public sealed class ResultRetention(ResultStore results, OrchestratorOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A tenth of the retention (at most a second) keeps an expired result from outliving its retention by more than that.
        var interval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, options.ResultRetention.Ticks / 10));
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) results.Evict(time.GetUtcNow());
    }
}
