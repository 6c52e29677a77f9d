using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// Creates the tables when they are missing, before the bus starts (hosted services start in order), retrying
/// while the database is not up yet. On PostgreSQL an advisory lock keeps orchestrators starting together from
/// racing. (No migrations yet: this is the schema's first version.)
/// </summary>
public sealed class StoreSchema(IDbContextFactory<SubmissionsDbContext> contexts, OrchestratorOptions options, ILogger<StoreSchema> logger, SqliteDatabase? sqlite = null) : IHostedService
{
    private StoreProvider Provider => options.Store.Provider;

    private const long PostgresLockKey = 0x_CA5C_ADE0;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureTablesAsync(cancellationToken);
                return;
            }
            catch (DbException e) when (DateTime.UtcNow - started < GiveUpAfter)
            {
                logger.LogWarning("The submission store is not reachable yet (attempt {Attempt}): {Error}", attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        using var turn = sqlite is null ? null : await sqlite.TakeTurnAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (Provider == StoreProvider.Postgres) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken);
            if (!await TablesExistAsync(db, cancellationToken))
            {
                await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
                logger.LogInformation("Created the submission store's tables ({Provider})", Provider);
            }
        }
        finally
        {
            if (Provider == StoreProvider.Postgres) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Asked of the catalog, not by querying the tables: a failing query would log an error at every first start.</summary>
    private async Task<bool> TablesExistAsync(SubmissionsDbContext db, CancellationToken cancellationToken)
    {
        var count = Provider == StoreProvider.Postgres
            ? db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('submissions', 'outbox')")
            : db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name IN ('submissions', 'outbox')");
        return await count.SingleAsync(cancellationToken) == 2;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
