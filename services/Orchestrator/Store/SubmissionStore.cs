using System.Data.Common;
using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.Outbox;
using Cascade.Orchestrator.StateMachines;
using Microsoft.EntityFrameworkCore;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// Every read and write of submissions and their outbox. State changes are compare-and-set: a transition is
/// applied to the row as read and saved only if nobody changed it meanwhile (<see cref="SubmissionRecord.Version"/>),
/// else applied again to the fresh row. The outbox entries a change owes are saved in the same transaction and
/// handed to the <see cref="OutboxQueue"/> once committed (the <see cref="OutboxDispatcher"/> sends them).
/// Writes are plain commands (<see cref="StoreWrites"/>). On SQLite every operation takes its turn on the one connection
/// (<see cref="SqliteDatabase"/>); on PostgreSQL they run side by side, each on a pooled connection.
/// </summary>
public sealed class SubmissionStore
{
    private readonly IDbContextFactory<SubmissionsDbContext> _contexts;
    private readonly OutboxQueue _outbox;
    private readonly TimeProvider _time;

    /// <summary>Null on PostgreSQL.</summary>
    private readonly SqliteDatabase? _sqlite;

    public SubmissionStore(IDbContextFactory<SubmissionsDbContext> contexts, OutboxQueue outbox, TimeProvider time, SqliteDatabase? sqlite = null) =>
        (_contexts, _outbox, _time, _sqlite) = (contexts, outbox, time, sqlite);

    /// <summary>How long the writer of an outbox entry has to send it before anyone else may.</summary>
    public static readonly TimeSpan WriterLease = TimeSpan.FromSeconds(10);
    private const int MaxConflictRetries = 20;

    // Compiled once per store (EF Core runs a compiled query with one model only, and every store has its own):
    // the hot reads skip LINQ translation and the query cache lookup on every call.
    private readonly Func<SubmissionsDbContext, Guid, CancellationToken, Task<SubmissionRecord?>> _submissionById =
        EF.CompileAsyncQuery((SubmissionsDbContext db, Guid id, CancellationToken _) => db.Submissions.AsNoTracking().FirstOrDefault(s => s.Id == id));

    private readonly Func<SubmissionsDbContext, CancellationToken, Task<int>> _inFlightCount =
        EF.CompileAsyncQuery((SubmissionsDbContext db, CancellationToken _) =>
            db.Submissions.Count(s => s.Status == SubmissionStatus.Gating || s.Status == SubmissionStatus.Classifying));

    private readonly Func<SubmissionsDbContext, DateTimeOffset, int, IAsyncEnumerable<Guid>> _overdueIds =
        EF.CompileAsyncQuery((SubmissionsDbContext db, DateTimeOffset now, int limit) => db.Submissions.AsNoTracking()
            .Where(s => (s.Status == SubmissionStatus.Gating || s.Status == SubmissionStatus.Classifying) && s.Deadline <= now)
            .OrderBy(s => s.Deadline).Select(s => s.Id).Take(limit));

    /// <summary>
    /// Now, to the millisecond the store keeps: a result read back from the store and the one handed to waiters at
    /// once must be equal.
    /// </summary>
    public DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    public Task<SubmissionRecord?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        UseAsync(db => _submissionById(db, id, cancellationToken), cancellationToken);

    /// <summary>Stores a new submission with its gate command. Null when it is new; the existing row when the id is taken.</summary>
    public async Task<SubmissionRecord?> AddAsync(SubmissionRecord submission, CancellationToken cancellationToken = default)
    {
        var entry = NewEntry(submission.Id, OutboxKind.GateCommand);
        try
        {
            await UseAsync(db => StoreWrites.AddAsync(db, submission, entry, cancellationToken), cancellationToken);
        }
        catch (CascadeException)
        {
            // The id's unique key: another front door (or orchestrator) stored it first.
            if (await FindAsync(submission.Id, cancellationToken) is { } existing) return existing;
            throw;
        }
        _outbox.Deliver(entry, submission);
        return null;
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to the submission until it sticks. Null when there is no such submission;
    /// otherwise the row as it now is and what the transition did.
    /// </summary>
    public Task<(SubmissionRecord Submission, Transition Outcome)?> TransitionAsync(
        Guid id, Func<SubmissionRecord, DateTimeOffset, Transition> apply, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, s =>
        {
            var transition = apply(s, Now());
            return (transition, transition != Transition.Ignored, transition == Transition.Finished ? NewEntry(id, OutboxKind.Result) : null);
        }, cancellationToken);

    /// <summary>Sends a resubmission's answer to its own reply queue, and the final result there too from now on.</summary>
    public async Task RedirectRepliesAsync(Guid id, string replyTo, CancellationToken cancellationToken = default) =>
        await ChangeAsync(id, s =>
        {
            var inFlight = !s.IsFinished;
            if (inFlight) s.ReplyTo = replyTo;
            return (true, inFlight, NewEntry(id, OutboxKind.Reply, replyTo));
        }, cancellationToken);

    /// <summary>
    /// One compare-and-set change: <paramref name="change"/> edits the row as read and says whether it changed it and
    /// what outbox entry it owes; saved together, and done again on the fresh row when someone else changed it first.
    /// </summary>
    private async Task<(SubmissionRecord Submission, T Outcome)?> ChangeAsync<T>(
        Guid id, Func<SubmissionRecord, (T Outcome, bool Changed, OutboxEntry? Owed)> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var step = await UseAsync<(SubmissionRecord Submission, T Outcome, OutboxEntry? Owed, bool Saved)?>(async db =>
            {
                var submission = await _submissionById(db, id, cancellationToken);
                if (submission is null) return null;
                // Tracked from the row as read: the write then sets only what the change set, where Version is still the one read.
                db.Attach(submission);
                var (outcome, changed, owed) = change(submission);
                if (!changed && owed is null) return (submission, outcome, null, true);
                if (changed) submission.Version++;
                return (submission, outcome, owed, await SaveAsync(db, submission, changed, owed, cancellationToken));
            }, cancellationToken);
            if (step is not { } done) return null;
            if (!done.Saved)
            {
                if (attempt < MaxConflictRetries) continue;
                throw new DbUpdateConcurrencyException($"Submission {id} changed under {MaxConflictRetries} attempts in a row to change it.");
            }
            if (done.Owed is not null) _outbox.Deliver(done.Owed, done.Submission);
            return (done.Submission, done.Outcome);
        }
    }

    /// <summary>Saves the tracked row's change (if any) and the entry it owes (if any) together; false when someone changed the row first.</summary>
    private static async Task<bool> SaveAsync(SubmissionsDbContext db, SubmissionRecord submission, bool changed, OutboxEntry? owed, CancellationToken cancellationToken)
    {
        if (changed) return await StoreWrites.ChangeAsync(db, submission, owed, cancellationToken);
        await StoreWrites.OweAsync(db, owed!, cancellationToken);
        return true;
    }

    /// <summary>Ids of in-flight submissions whose stage deadline has passed, earliest first.</summary>
    public Task<IReadOnlyList<Guid>> OverdueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<Guid>>(async db =>
        {
            var overdue = new List<Guid>();
            await foreach (var id in _overdueIds(db, now, limit).WithCancellation(cancellationToken)) overdue.Add(id);
            return overdue;
        }, cancellationToken);

    /// <summary>Submissions in flight, whichever orchestrator took them.</summary>
    public Task<int> CountInFlightAsync(CancellationToken cancellationToken = default) =>
        UseAsync(db => _inFlightCount(db, cancellationToken), cancellationToken);

    /// <summary>The most recently finished submissions, newest first.</summary>
    public Task<IReadOnlyList<SubmissionRecord>> RecentAsync(int count, CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<SubmissionRecord>>(async db => await db.Submissions.AsNoTracking().Where(s => s.FinishedAt != null)
            .OrderByDescending(s => s.FinishedAt).Take(count).ToListAsync(cancellationToken), cancellationToken);

    /// <summary>Deletes finished submissions past their retention, and the oldest beyond <paramref name="maxFinished"/>.</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, int maxFinished, CancellationToken cancellationToken = default) =>
        UseAsync(async db =>
        {
            var deleted = await db.Submissions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
            var cutoff = await db.Submissions.AsNoTracking().Where(s => s.FinishedAt != null)
                .OrderByDescending(s => s.FinishedAt).Skip(maxFinished).Select(s => s.FinishedAt).FirstOrDefaultAsync(cancellationToken);
            if (cutoff is { } oldestKept)
                deleted += await db.Submissions.Where(s => s.FinishedAt <= oldestKept).ExecuteDeleteAsync(cancellationToken);
            return deleted;
        }, cancellationToken);

    /// <summary>Outbox entries whose lease has run out, leased now to the caller for <paramref name="lease"/>.</summary>
    public Task<IReadOnlyList<(OutboxEntry Entry, SubmissionRecord? Submission)>> LeaseAbandonedAsync(int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<(OutboxEntry, SubmissionRecord?)>>(async db =>
        {
            var now = _time.GetUtcNow();
            var due = await db.Outbox.AsNoTracking().Where(o => o.LeaseUntil <= now).OrderBy(o => o.Id).Take(limit).ToListAsync(cancellationToken);
            var leased = new List<(OutboxEntry, SubmissionRecord?)>();
            foreach (var entry in due)
            {
                // Compare-and-set on the lease: of several orchestrators sweeping at once, one gets each entry.
                var until = now + lease;
                var won = await db.Outbox.Where(o => o.Id == entry.Id && o.LeaseUntil == entry.LeaseUntil)
                    .ExecuteUpdateAsync(o => o.SetProperty(x => x.LeaseUntil, until), cancellationToken);
                if (won == 0) continue;
                entry.LeaseUntil = until;
                leased.Add((entry, await _submissionById(db, entry.SubmissionId, cancellationToken)));
            }
            return leased;
        }, cancellationToken);

    /// <summary>Deletes sent outbox entries.</summary>
    public async Task DeleteOutboxAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return;
        await UseAsync(db => db.Outbox.Where(o => ids.Contains(o.Id)).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    /// <summary>Whether the database answers (readiness).</summary>
    public Task<bool> CanConnectAsync(CancellationToken cancellationToken) =>
        UseAsync(db => db.Database.CanConnectAsync(cancellationToken), cancellationToken);

    private OutboxEntry NewEntry(Guid submissionId, OutboxKind kind, string? destination = null)
    {
        var now = _time.GetUtcNow();
        return new OutboxEntry { SubmissionId = submissionId, Kind = kind, Destination = destination, CreatedAt = now, LeaseUntil = now + WriterLease };
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on a context of its own (in its turn on SQLite). A database that cannot be
    /// reached is <c>STORE_UNAVAILABLE</c>; lost races stay concurrency exceptions.
    /// </summary>
    private Task UseAsync(Func<SubmissionsDbContext, Task> operation, CancellationToken cancellationToken) =>
        UseAsync(async db =>
        {
            await operation(db);
            return true;
        }, cancellationToken);

    private async Task<T> UseAsync<T>(Func<SubmissionsDbContext, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var turn = _sqlite is null ? null : await _sqlite.TakeTurnAsync(cancellationToken);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            return await operation(db);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException { InnerException: DbException } && e is not DbUpdateConcurrencyException)
        {
            throw new CascadeException(ErrorKind.Unavailable, ErrorCodes.StoreUnavailable, $"The submission store failed: {e.GetBaseException().Message}", e);
        }
    }
}
