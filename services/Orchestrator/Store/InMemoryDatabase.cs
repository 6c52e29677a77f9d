using Microsoft.Data.Sqlite;

namespace Cascade.Orchestrator.Store;

/// <summary>Keeps a shared-cache in-memory SQLite database alive: it exists while one connection to it is open.</summary>
public sealed class InMemoryDatabase : IDisposable
{
    private readonly SqliteConnection _keeper;

    public InMemoryDatabase(string connectionString)
    {
        _keeper = new SqliteConnection(connectionString);
        _keeper.Open();
    }

    public void Dispose() => _keeper.Dispose();
}
