using Cascade.Contracts;
using Cascade.Orchestrator.StateMachines;
using MassTransit;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Stage timeouts. A timer, not scheduled messages: MassTransit's RabbitMQ scheduler needs
/// the delayed-message exchange plugin (not in Debian's RabbitMQ) or Quartz/Hangfire integrations (not on the
/// registry here). Scanning the sagas' stored deadlines works the same on every transport and survives a
/// stage that never answers.
/// </summary>
public sealed class DeadlineMonitor(
    IBus bus,
    IQuerySagaRepository<SubmissionState> sagas,
    SubmissionStateMachine machine,
    OrchestratorOptions options,
    TimeProvider time,
    ILogger<DeadlineMonitor> logger) : BackgroundService
{
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
        var now = time.GetUtcNow();
        var overdue = await sagas.Find(machine.CreateSagaQuery(s => s.Deadline <= now, machine.Gating, machine.Classifying)).ConfigureAwait(false);
        foreach (var id in overdue)
        {
            // A saga that already moved on ignores or discards this, so a repeated signal is harmless.
            await bus.Publish(new StageTimedOut { SubmissionId = id }, cancellationToken).ConfigureAwait(false);
        }
    }
}
