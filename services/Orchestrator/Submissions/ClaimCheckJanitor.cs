using Cascade.ServiceDefaults.Bus;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Deletes claim-checked images older than their time to live from the shared message-data folder. A submission's
/// image is deleted when it ends (its result's outbox entry); this catches what a killed process left behind
/// (an image stored just before it died, a gate's forwarded pixels). The orchestrator owns this because it writes
/// the images. Does nothing on the in-memory transport, whose repository expires entries itself.
/// </summary>
public sealed class ClaimCheckJanitor(BusOptions bus, TimeProvider time, ILogger<ClaimCheckJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (bus.Transport != BusTransport.RabbitMq) return;
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                DeleteExpired(new DirectoryInfo(bus.MessageData.Path), time.GetUtcNow().UtcDateTime - bus.MessageData.TimeToLive);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Claim-check cleanup in {Path} failed; retrying next tick", bus.MessageData.Path);
            }
        }
    }

    private static void DeleteExpired(DirectoryInfo folder, DateTime cutoffUtc)
    {
        if (!folder.Exists) return;
        foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
            if (file.LastWriteTimeUtc < cutoffUtc) file.Delete();
        foreach (var sub in folder.EnumerateDirectories("*", SearchOption.AllDirectories).OrderByDescending(d => d.FullName.Length))
            if (!sub.EnumerateFileSystemInfos().Any()) sub.Delete();
    }
}
