namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// What MassTransit says this process consumes (each receive endpoint's queue while it is ready) set against what the
/// broker counts on those queues: a queue that MassTransit calls ready, that the broker has been seen to consume from
/// since, and that has then had no consumer for <c>lostAfter</c>, has lost its consumer without notice. A queue the
/// broker has not yet been seen consuming is not judged: MassTransit calls its bus endpoint ready before it declares
/// that queue (on first use). Not thread-safe: the watchdog's loop and MassTransit's endpoint events take turns
/// through a lock in <see cref="ConsumerWatchdog"/>.
/// </summary>
public sealed class ConsumerPresence(TimeSpan lostAfter)
{
    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    /// <summary>The queues MassTransit says are being consumed now.</summary>
    public IReadOnlyCollection<string> Consuming => _queues.Keys;

    /// <summary>MassTransit reported the endpoint on <paramref name="queue"/> ready: consuming, by its account.</summary>
    public void Ready(string queue) => _queues[queue] = new Queue();

    /// <summary>MassTransit knows the endpoint is not consuming (stopping, faulted, reconnecting): its own restart is under way.</summary>
    public void NotConsuming(string queue) => _queues.Remove(queue);

    /// <summary>
    /// Records the broker's count of consumers on <paramref name="queue"/> at <paramref name="now"/> and returns how long
    /// the queue has been without one when that is <c>lostAfter</c> or more, else null.
    /// </summary>
    public TimeSpan? Observe(string queue, uint consumers, DateTimeOffset now)
    {
        if (!_queues.TryGetValue(queue, out var state)) return null;
        if (consumers > 0)
        {
            state.Consumed = true;
            state.MissingSince = null;
            return null;
        }
        if (!state.Consumed) return null;
        state.MissingSince ??= now;
        var missing = now - state.MissingSince.Value;
        return missing >= lostAfter ? missing : null;
    }

    private sealed class Queue
    {
        /// <summary>The broker has counted a consumer on it since MassTransit called it ready.</summary>
        public bool Consumed { get; set; }
        public DateTimeOffset? MissingSince { get; set; }
    }
}
