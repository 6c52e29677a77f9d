using System.Collections.Concurrent;
using System.Threading.Channels;
using Cascade.Contracts;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Submissions this orchestrator accepted: pending ones (someone may be waiting) and finished ones, kept for
/// the retention time. Also fans finished results out to streaming subscribers.
/// </summary>
public sealed class ResultStore
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentDictionary<Channel<SubmissionFinished>, byte> _subscribers = new();

    /// <summary>False when the id is already known: a duplicate submission.</summary>
    public bool TryAdd(Guid id) => _entries.TryAdd(id, new Entry());

    public void Remove(Guid id) => _entries.TryRemove(id, out _);

    public bool TryGet(Guid id, out Task<SubmissionFinished> result)
    {
        var found = _entries.TryGetValue(id, out var entry);
        result = found ? entry!.Finished.Task : Task.FromException<SubmissionFinished>(new KeyNotFoundException($"Unknown submission {id}."));
        return found;
    }

    public void Complete(SubmissionFinished result, DateTimeOffset expiresAt)
    {
        var entry = _entries.GetOrAdd(result.SubmissionId, _ => new Entry());
        entry.ExpiresAt = expiresAt;
        if (!entry.Finished.TrySetResult(result)) return;
        foreach (var subscriber in _subscribers.Keys) subscriber.Writer.TryWrite(result);
    }

    /// <summary>The most recently finished results, newest first.</summary>
    public IReadOnlyList<SubmissionFinished> Recent(int count) =>
        _entries.Values.Select(e => e.Finished.Task).Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)
            .OrderByDescending(r => r.FinishedAt).Take(count).ToList();

    /// <summary>Forgets finished results older than their retention.</summary>
    public void Evict(DateTimeOffset now)
    {
        foreach (var (id, entry) in _entries)
        {
            if (entry.ExpiresAt is { } expires && expires <= now) _entries.TryRemove(id, out _);
        }
    }

    /// <summary>Every result that finishes from now on, until <paramref name="cancellationToken"/> ends the stream.</summary>
    public async IAsyncEnumerable<SubmissionFinished> Subscribe([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<SubmissionFinished>(new UnboundedChannelOptions { SingleReader = true });
        _subscribers.TryAdd(channel, 0);
        try
        {
            await foreach (var result in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return result;
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }

    private sealed class Entry
    {
        public TaskCompletionSource<SubmissionFinished> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public DateTimeOffset? ExpiresAt { get; set; }
    }
}
