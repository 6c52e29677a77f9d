using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// Per-connection SQLite settings: write-ahead log with <c>synchronous=NORMAL</c>, which stays consistent after a
/// crash and only risks the last transactions on power loss, instead of an fsync per commit (milliseconds each,
/// several per submission).
/// </summary>
public sealed class SqliteTuning : DbConnectionInterceptor
{
    public static readonly SqliteTuning Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Tune(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Tune(connection);
        return Task.CompletedTask;
    }

    private static void Tune(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
        command.ExecuteNonQuery();
    }
}
