using Microsoft.Data.Sqlite;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// The one connection to a SQLite store (a file, or a database in memory, which lives as long as it), opened and
/// tuned once, and the turns every use of it takes. SQLite writes one transaction at a time anyway; with connections
/// of their own, a second writer on an in-memory (shared-cache) database meets SQLITE_LOCKED at once, which
/// Microsoft.Data.Sqlite retries only after a 150 ms <c>Thread.Sleep</c> (under load: 150 ms on 5-10% of submissions,
/// and blocked thread-pool threads). One connection taken in turns waits microseconds instead, and no operation pays
/// for opening a pooled connection and setting it up again.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <param name="path">The database file; null for a database in memory, private to this connection.</param>
    public SqliteDatabase(string? path)
    {
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? ":memory:" }.ToString());
        Connection.Open();
        // A database in memory is this connection's alone: nothing to tune.
        if (path is null) return;
        using var command = Connection.CreateCommand();
        // Write-ahead log with synchronous=NORMAL: consistent after a crash, and only the last transactions are at risk
        // on power loss, instead of an fsync per commit (milliseconds each, several per submission). The busy timeout
        // covers another process (a backup, the sqlite3 shell) holding the file's lock.
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
        command.ExecuteNonQuery();
    }

    /// <summary>Open for the process's lifetime; use it only in a turn (<see cref="TakeTurnAsync"/>).</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Waits until nobody else uses the connection; dispose the result to hand it on.</summary>
    public async Task<IDisposable> TakeTurnAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(_turn);
    }

    public void Dispose() => Connection.Dispose();

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private SemaphoreSlim? _turn = turn;

        public void Dispose() => Interlocked.Exchange(ref _turn, null)?.Release();
    }
}
