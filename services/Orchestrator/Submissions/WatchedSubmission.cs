using Cascade.Contracts;

namespace Cascade.Orchestrator.Submissions;

/// <summary>A submission made by <see cref="SubmissionService.SubmitWatchedAsync"/>: its id, and its result once it finishes.</summary>
public sealed class WatchedSubmission(Guid id, IDisposable waiter, Func<CancellationToken, Task<SubmissionFinished>> result) : IDisposable
{
    public Guid Id { get; } = id;

    /// <summary>The final result, however long it takes (bound it with <paramref name="cancellationToken"/>).</summary>
    public Task<SubmissionFinished> ResultAsync(CancellationToken cancellationToken = default) => result(cancellationToken);

    public void Dispose() => waiter.Dispose();
}
