using System.Data.Common;
using Cascade.Orchestrator.Outbox;
using Cascade.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cascade.Orchestrator.Store;

public static class StoreExtensions
{
    /// <summary>
    /// The submission store on the provider <c>Orchestrator:Store:Provider</c> names, its schema (created before the
    /// bus starts), a readiness check, and the outbox dispatcher.
    /// </summary>
    public static IServiceCollection AddSubmissionStore(this IServiceCollection services, IConfiguration configuration)
    {
        // The provider decides what is registered, so it is read here, before the container exists.
        var options = configuration.GetSection($"{OrchestratorOptions.Section}:Store").Get<StoreOptions>() ?? new StoreOptions();
        var postgres = configuration.GetConnectionString(StoreOptions.ConnectionStringName);
        options.Validate(postgres);
        switch (options.Provider)
        {
            case StoreProvider.Postgres:
                services.AddPooledDbContextFactory<SubmissionsDbContext>(db => db.UseNpgsql(PooledConnectionString(postgres!, options)));
                break;
            case StoreProvider.Sqlite:
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Path))!);
                AddSqlite(services, options.Path);
                break;
            default:
                // One private in-memory database per host.
                AddSqlite(services, path: null);
                break;
        }
        // EF Core logs every command at Information: several per submission, which would drown the service's own logs.
        services.AddLogging(logging => logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning));
        services.AddHostedService<StoreSchema>();
        services.AddSingleton<OutboxQueue>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<OutboxDelivery>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHealthChecks().AddCheck<SubmissionStoreHealthCheck>("submission-store", tags: [HealthTags.Ready]);
        return services;
    }

    /// <summary>
    /// Npgsql's defaults (up to 100 connections, idle ones closed after 5 minutes) let one orchestrator under load
    /// take every connection the server has; the next burst after a prune then fails with "too many clients" (53300).
    /// The store runs a handful of statements per submission, each on a pooled connection: prepared once per
    /// connection (<c>Max Auto Prepare</c>) the server skips parsing and planning them, and no connection state is
    /// reset when one goes back to the pool (the store leaves none behind), which would cost the server a
    /// <c>DISCARD ALL</c> per statement. Both stay as the connection string says when it sets them.
    /// </summary>
    private static string PooledConnectionString(string connectionString, StoreOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.MaxConnections, MinPoolSize = options.MinConnections };
        // Npgsql's own builder knows every keyword, set or not: only the plain one tells what the string sets.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Given(string keyword) => given.ContainsKey(keyword) || given.ContainsKey(keyword.Replace(" ", ""));
        if (!Given("Max Auto Prepare")) builder.MaxAutoPrepare = PreparedStatementsPerConnection;
        if (!Given("No Reset On Close")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>More than the store's distinct statements, so none is evicted and prepared again.</summary>
    private const int PreparedStatementsPerConnection = 64;

    private static void AddSqlite(IServiceCollection services, string? path)
    {
        services.AddSingleton(_ => new SqliteDatabase(path));
        // Every context runs on the one open connection (EF Core leaves a connection it did not open open).
        services.AddPooledDbContextFactory<SubmissionsDbContext>((sp, db) => db.UseSqlite(sp.GetRequiredService<SqliteDatabase>().Connection));
    }
}
