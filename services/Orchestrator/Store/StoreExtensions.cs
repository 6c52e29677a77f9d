using Cascade.Orchestrator.Outbox;
using Cascade.ServiceDefaults;
using Microsoft.Data.Sqlite;
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
                AddSqlite(services, new SqliteConnectionStringBuilder { DataSource = options.Path }.ToString());
                break;
            default:
                // One private in-memory database per host, alive while its first connection is open.
                var memory = new SqliteConnectionStringBuilder { DataSource = $"cascade-{Guid.NewGuid():N}", Mode = SqliteOpenMode.Memory, Cache = SqliteCacheMode.Shared }.ToString();
                services.AddSingleton(_ => new InMemoryDatabase(memory));
                AddSqlite(services, memory);
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
    /// </summary>
    private static string PooledConnectionString(string connectionString, StoreOptions options) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.MaxConnections, MinPoolSize = options.MinConnections }.ConnectionString;

    private static void AddSqlite(IServiceCollection services, string connectionString) =>
        services.AddPooledDbContextFactory<SubmissionsDbContext>(db => db.UseSqlite(connectionString).AddInterceptors(SqliteTuning.Instance));
}
