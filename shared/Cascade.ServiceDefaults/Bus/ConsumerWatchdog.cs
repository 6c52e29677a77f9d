using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Stops the process when one of its receive endpoints has lost its consumer without MassTransit knowing, so that its
/// supervisor (compose's restart policy, Kubernetes) starts it afresh. MassTransit restarts an endpoint when it hears
/// the channel close; when that news never comes, the endpoint stays "ready" and healthy with no consumer at the broker,
/// and its queue fills while the process answers 200. Seen after a broker restart: the RabbitMQ client's connection
/// shutdown, which tells each channel in turn, stalled at a channel with a publish in flight (its confirm lock held),
/// so the channels after it never heard; the send side reconnected and the endpoints stayed on the dead connection.
/// A half-open connection (the broker closed it, the client never heard) looks the same until heartbeats time out.
/// The check asks the broker itself, on a connection of its own (<see cref="BrokerConsumerCounts"/>), and judges only
/// endpoints MassTransit calls ready (<see cref="ConsumerPresence"/>). A MassTransit bus cannot be restarted in place
/// on RabbitMQ (stopping it stops its connection supervisor for good), hence a new process. Until it stops, readiness
/// says why (503, gRPC NOT_SERVING). Exit code 75 (EX_TEMPFAIL): a fault outside the process, worth a restart.
/// </summary>
public sealed class ConsumerWatchdog(
    BrokerConsumerCounts broker,
    ConsumerCheckOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ConsumerWatchdog> logger) : BackgroundService, IReceiveEndpointObserver, IHealthCheck
{
    public const int ExitCode = 75;
    private readonly ConsumerPresence _presence = new(options.LostAfter);
    private string? _lost;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        var brokerAway = false;
        while (_lost is null && await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            string[] queues;
            lock (_presence) queues = [.. _presence.Consuming];
            foreach (var queue in queues)
            {
                uint consumers;
                try
                {
                    consumers = await broker.CountAsync(queue, stoppingToken).ConfigureAwait(false);
                    brokerAway = false;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The broker away is MassTransit's to report (its bus health check) and to reconnect from.
                    if (!brokerAway) logger.LogInformation("Consumer check: the broker cannot be asked ({Error}); trying again every {Interval}", e.Message, options.Interval);
                    brokerAway = true;
                    break;
                }
                logger.LogDebug("Consumer check: {Queue} has {Consumers} consumers at the broker", queue, consumers);
                TimeSpan? missing;
                lock (_presence) missing = _presence.Observe(queue, consumers, time.GetUtcNow());
                if (missing is { } forHowLong)
                {
                    Trip(queue, forHowLong);
                    break;
                }
            }
        }
    }

    private void Trip(string queue, TimeSpan missing)
    {
        _lost = $"queue {queue} has had no consumer at the broker for {missing.TotalSeconds:0} s while its endpoint reports itself consuming";
        logger.LogCritical("Consumer lost without notice: {Lost}. Stopping with exit code {ExitCode} so that the supervisor starts this service afresh",
            _lost, ExitCode);
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();
        if (options.ExitAfter > TimeSpan.Zero) _ = ExitIfStillStoppingAsync();
    }

    /// <summary>The graceful stop waits on the dead connection: after <see cref="ConsumerCheckOptions.ExitAfter"/> the process leaves at once.</summary>
    private async Task ExitIfStillStoppingAsync()
    {
        try
        {
            await Task.Delay(options.ExitAfter, time, lifetime.ApplicationStopped).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        logger.LogCritical("Not stopped within {ExitAfter}: exiting now with code {ExitCode}", options.ExitAfter, ExitCode);
        ImmediateExit.Now(ExitCode);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_lost is { } lost ? HealthCheckResult.Unhealthy($"Consumer lost: {lost}") : HealthCheckResult.Healthy());

    public Task Ready(ReceiveEndpointReady ready) => Update(ready, consuming: true);

    public Task Stopping(ReceiveEndpointStopping stopping) => Update(stopping, consuming: false);

    public Task Completed(ReceiveEndpointCompleted completed) => Update(completed, consuming: false);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Update(faulted, consuming: false);

    private Task Update(ReceiveEndpointEvent e, bool consuming)
    {
        // rabbitmq://host:port/vhost/queue?bind=...: the queue is the path's last segment.
        var queue = Uri.UnescapeDataString(e.InputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        lock (_presence)
        {
            if (consuming) _presence.Ready(queue);
            else _presence.NotConsuming(queue);
        }
        return Task.CompletedTask;
    }
}

/// <summary>Ends the process at once with an exit code: no shutdown handlers (Environment.Exit waits for the host's stop).</summary>
internal static class ImmediateExit
{
    public static void Now(int exitCode)
    {
        if (OperatingSystem.IsWindows()) Environment.FailFast($"exit {exitCode}");
        else Exit(exitCode);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
