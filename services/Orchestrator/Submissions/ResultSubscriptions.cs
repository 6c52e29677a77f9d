using System.Collections.Concurrent;
using System.Threading.Channels;
using Cascade.Contracts;
using Cascade.Contracts.Errors;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Who in this process waits for results: callers waiting for one submission, and result streams. Fed by the
/// submissions this orchestrator finishes and by every orchestrator's <see cref="SubmissionFinished"/>, so a result
/// reaches its waiter whichever orchestrator finished it; a result seen twice reaches each stream once.
/// </summary>
public sealed class ResultSubscriptions(OrchestratorOptions options)
{
    private const int RememberedResults = 10_000;
    private readonly Dictionary<Guid, List<TaskCompletionSource<SubmissionFinished>>> _waiters = new();
    private readonly ConcurrentDictionary<Channel<SubmissionFinished>, byte> _streams = new();
    private readonly ConcurrentDictionary<Guid, byte> _recent = new();
    private readonly ConcurrentQueue<Guid> _recentOrder = new();

    /// <summary>The result of <paramref name="id"/> once it finishes; dispose to stop waiting.</summary>
    public Waiter Wait(Guid id)
    {
        var result = new TaskCompletionSource<SubmissionFinished>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (!_waiters.TryGetValue(id, out var list)) _waiters[id] = list = [];
            list.Add(result);
        }
        return new Waiter(this, id, result);
    }

    public void Complete(SubmissionFinished result)
    {
        List<TaskCompletionSource<SubmissionFinished>>? waiting;
        lock (_waiters) _waiters.Remove(result.SubmissionId, out waiting);
        foreach (var waiter in waiting ?? []) waiter.TrySetResult(result);
        if (!_recent.TryAdd(result.SubmissionId, 0)) return;
        _recentOrder.Enqueue(result.SubmissionId);
        while (_recentOrder.Count > RememberedResults && _recentOrder.TryDequeue(out var old)) _recent.TryRemove(old, out _);
        foreach (var stream in _streams.Keys)
        {
            // A reader that fell this far behind is ended, not buffered for without bound.
            if (!stream.Writer.TryWrite(result))
                stream.Writer.TryComplete(new CascadeException(ErrorKind.Overloaded, ErrorCodes.WatcherTooSlow,
                    $"The result stream fell more than {options.WatchBuffer} results behind and was ended; reconnect and read faster."));
        }
    }

    /// <summary>Every result that finishes from now on, until <paramref name="cancellationToken"/> ends the stream.</summary>
    public async IAsyncEnumerable<SubmissionFinished> Subscribe([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = Channel.CreateBounded<SubmissionFinished>(new BoundedChannelOptions(options.WatchBuffer) { SingleReader = true });
        _streams.TryAdd(stream, 0);
        try
        {
            await foreach (var result in stream.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return result;
        }
        finally
        {
            _streams.TryRemove(stream, out _);
        }
    }

    public sealed class Waiter(ResultSubscriptions owner, Guid id, TaskCompletionSource<SubmissionFinished> result) : IDisposable
    {
        public Task<SubmissionFinished> Result => result.Task;

        public void Dispose()
        {
            lock (owner._waiters)
            {
                if (!owner._waiters.TryGetValue(id, out var list)) return;
                list.Remove(result);
                if (list.Count == 0) owner._waiters.Remove(id);
            }
        }
    }
}
