using Cascade.Orchestrator.Extensions;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The orchestrator's services as registered in production (<c>AddOrchestrator</c>, hosted services not started) on a
/// store of their own, its schema created: a PostgreSQL database (dropped on dispose), a SQLite file in a temporary
/// folder (deleted on dispose), or SQLite in memory.
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly TestDatabase? _server;
    private readonly string? _folder;

    private StoreUnderTest(ServiceProvider services, TestDatabase? server, string? connectionString, string? folder) =>
        (Services, _server, ConnectionString, _folder) = (services, server, connectionString, folder);

    /// <summary>The PostgreSQL database's own connection string, for looking at the server directly; null on SQLite.</summary>
    public string? ConnectionString { get; }

    public ServiceProvider Services { get; }

    public SubmissionStore Store => Services.GetRequiredService<SubmissionStore>();

    public SubmissionStateMachine Machine => Services.GetRequiredService<SubmissionStateMachine>();

    public static Task<StoreUnderTest> PostgresAsync(string purpose, IReadOnlyDictionary<string, string?>? settings = null) =>
        CreateAsync(StoreProvider.Postgres, purpose, settings);

    /// <param name="settings">More <c>Orchestrator:*</c> settings.</param>
    public static async Task<StoreUnderTest> CreateAsync(StoreProvider provider, string purpose, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var store = new Dictionary<string, string?> { ["Orchestrator:Store:Provider"] = provider.ToString() };
        TestDatabase? server = null;
        string? connectionString = null, folder = null;
        if (provider == StoreProvider.Postgres)
        {
            server = await TestDatabase.Instance;
            store["ConnectionStrings:Submissions"] = connectionString = await server.CreateDatabaseAsync(purpose);
        }
        else if (provider == StoreProvider.Sqlite)
        {
            folder = Directory.CreateTempSubdirectory($"cascade-store-{purpose}-").FullName;
            store["Orchestrator:Store:Path"] = Path.Combine(folder, "submissions.db");
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(store).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging().AddOrchestrator(configuration).BuildServiceProvider();
        var created = new StoreUnderTest(services, server, connectionString, folder);
        try
        {
            await ActivatorUtilities.CreateInstance<StoreSchema>(services).StartAsync(CancellationToken.None);
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
        return created;
    }

    /// <summary>The kinds of outbox entries <paramref name="id"/> owes, oldest first, read from the table.</summary>
    public async Task<List<string>> OutboxKindsAsync(Guid id)
    {
        // On SQLite the one connection is used in turns, by the test too.
        using var turn = Services.GetService<SqliteDatabase>() is { } sqlite ? await sqlite.TakeTurnAsync(CancellationToken.None) : null;
        await using var db = await Services.GetRequiredService<IDbContextFactory<SubmissionsDbContext>>().CreateDbContextAsync();
        return await db.Outbox.Where(o => o.SubmissionId == id).OrderBy(o => o.Id).Select(o => o.Kind.ToString()).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_server is not null) await _server.DropDatabaseAsync(ConnectionString!);
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }
}
