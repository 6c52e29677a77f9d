using System.Threading.Channels;
using Cascade.Orchestrator.Store;

namespace Cascade.Orchestrator.Outbox;

/// <summary>
/// Sends outbox entries: the ones this process just committed at once (<see cref="OutboxQueue"/>), and, every
/// <see cref="SweepInterval"/>, any entry whose lease ran out, whoever wrote it: its writer died, or its send
/// failed (the broker was down). Sent entries are deleted in batches.
/// </summary>
public sealed class OutboxDispatcher(OutboxQueue committed, SubmissionStore store, OutboxDelivery delivery, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    /// <summary>
    /// How long a swept entry belongs to the sweeper before another may try it: a little over one send's timeout, so a
    /// sweeper that cannot send (its connection dead) holds the entry back from a healthy orchestrator no longer than that.
    /// </summary>
    private static readonly TimeSpan SweepLease = TimeSpan.FromSeconds(15);
    /// <summary>A send that takes longer is given up; the entry is swept again later.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int Parallelism = 32;
    /// <summary>How long sent entries gather before one statement deletes them.</summary>
    private static readonly TimeSpan DeleteGathering = TimeSpan.FromMilliseconds(100);
    private readonly Channel<long> _sent = Channel.CreateUnbounded<long>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendCommittedAsync(stoppingToken), SweepAsync(stoppingToken), DeleteSentAsync(stoppingToken));

    private Task SendCommittedAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(committed.ReadAllAsync(stoppingToken), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
            async (item, ct) => await SendAsync(item.Entry, item.Submission, ct));

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var abandoned = await store.LeaseAbandonedAsync(500, SweepLease, stoppingToken);
                if (abandoned.Count > 0) logger.LogInformation("Sending {Count} outbox entries whose writer did not", abandoned.Count);
                await Parallel.ForEachAsync(abandoned, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
                    async (item, ct) => await SendAsync(item.Entry, item.Submission, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Outbox sweep failed; retrying in {Interval}", SweepInterval);
            }
        }
    }

    private async Task SendAsync(OutboxEntry entry, SubmissionRecord? submission, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            await delivery.DeliverAsync(entry, submission, timeout.Token);
            _sent.Writer.TryWrite(entry.Id);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Kept: the entry is sent again once its lease has run out.
            logger.LogWarning(e, "Outbox {Kind} for submission {SubmissionId} not sent; retrying after its lease", entry.Kind, entry.SubmissionId);
        }
    }

    private async Task DeleteSentAsync(CancellationToken stoppingToken)
    {
        var batch = new List<long>();
        try
        {
            while (await _sent.Reader.WaitToReadAsync(stoppingToken))
            {
                // Under load entries are sent one at a time: gathered for a moment they go in one statement and one
                // commit, instead of one each. The delay is far inside the writer's lease, so nobody sends them again.
                await Task.Delay(DeleteGathering, stoppingToken);
                await DeleteBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was sent is deleted still, so no other orchestrator sends it again after the lease.
            using var flush = new CancellationTokenSource(SendTimeout);
            await DeleteBatchAsync(batch, flush.Token);
            throw;
        }
    }

    private async Task DeleteBatchAsync(List<long> batch, CancellationToken cancellationToken)
    {
        while (batch.Count < 500 && _sent.Reader.TryRead(out var id)) batch.Add(id);
        try
        {
            await store.DeleteOutboxAsync(batch, cancellationToken);
            batch.Clear();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Undeleted entries are only sent again (at least once); keep trying.
            logger.LogWarning(e, "Deleting {Count} sent outbox entries failed; retrying", batch.Count);
            await Task.Delay(SweepInterval, cancellationToken);
        }
    }
}
