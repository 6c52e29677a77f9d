using Cascade.Orchestrator.Consumers;
using MassTransit;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Since when this orchestrator has been taking stage answers off its queue without a break (start, broker
/// reconnect), or null while it is not. The deadline monitor times nothing out while answers may be waiting
/// in the queue unread.
/// </summary>
public sealed class AnswerListening(TimeProvider time) : IReceiveEndpointObserver
{
    private long _sinceTicks = -1;

    public DateTimeOffset? Since => Interlocked.Read(ref _sinceTicks) is var ticks and >= 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (IsAnswerEndpoint(ready)) Interlocked.Exchange(ref _sinceTicks, time.GetUtcNow().UtcTicks);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Stop(stopping);

    public Task Completed(ReceiveEndpointCompleted completed) => Stop(completed);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Stop(faulted);

    private Task Stop(ReceiveEndpointEvent e)
    {
        if (IsAnswerEndpoint(e)) Interlocked.Exchange(ref _sinceTicks, -1);
        return Task.CompletedTask;
    }

    private static bool IsAnswerEndpoint(ReceiveEndpointEvent e) =>
        e.InputAddress.AbsolutePath.TrimEnd('/').EndsWith("/" + StageAnswerConsumerDefinition.QueueName, StringComparison.Ordinal);
}
