using Cascade.Orchestrator.Extensions;
using Cascade.Orchestrator.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The orchestrator's services as registered in production (<c>AddOrchestrator</c>, hosted services not started) on
/// a PostgreSQL database of their own, its schema created; disposing drops the database.
/// </summary>
public sealed class PostgresSubmissionStore : IAsyncDisposable
{
    private readonly TestDatabase _server;

    private PostgresSubmissionStore(TestDatabase server, string connectionString, ServiceProvider services) =>
        (_server, ConnectionString, Services) = (server, connectionString, services);

    /// <summary>The database's own connection string, for looking at its tables directly.</summary>
    public string ConnectionString { get; }

    public ServiceProvider Services { get; }

    public SubmissionStore Store => Services.GetRequiredService<SubmissionStore>();

    /// <param name="settings">More <c>Orchestrator:*</c> settings.</param>
    public static async Task<PostgresSubmissionStore> CreateAsync(string purpose, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = await TestDatabase.Instance;
        var database = await server.CreateDatabaseAsync(purpose);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestrator:Store:Provider"] = nameof(StoreProvider.Postgres),
            ["ConnectionStrings:Submissions"] = database,
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging().AddOrchestrator(configuration).BuildServiceProvider();
        try
        {
            await ActivatorUtilities.CreateInstance<StoreSchema>(services).StartAsync(CancellationToken.None);
        }
        catch
        {
            await services.DisposeAsync();
            await server.DropDatabaseAsync(database);
            throw;
        }
        return new PostgresSubmissionStore(server, database, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _server.DropDatabaseAsync(ConnectionString);
    }
}
