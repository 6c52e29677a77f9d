namespace Cascade.Orchestrator.Store;

public enum StoreProvider
{
    /// <summary>SQLite in memory: gone with the process. The all-in-one host's default (its in-memory bus is too).</summary>
    Memory,
    /// <summary>A SQLite file (<see cref="StoreOptions.Path"/>): one orchestrator that survives restarts.</summary>
    Sqlite,
    /// <summary>PostgreSQL (<c>ConnectionStrings:Submissions</c>): any number of orchestrators.</summary>
    Postgres,
}

/// <summary>Settings section <c>Orchestrator:Store</c>: where submissions and the outbox live.</summary>
public sealed record StoreOptions
{
    public const string ConnectionStringName = "Submissions";

    public StoreProvider Provider { get; init; } = StoreProvider.Sqlite;
    /// <summary>The SQLite file of <see cref="StoreProvider.Sqlite"/>.</summary>
    public string Path { get; init; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(".data", "submissions.db"));
    /// <summary>Finished results kept at most (the oldest go first), whatever their retention.</summary>
    public int MaxFinished { get; init; } = 100_000;

    public void Validate(string? postgresConnectionString)
    {
        if (Provider == StoreProvider.Postgres && string.IsNullOrWhiteSpace(postgresConnectionString))
            throw new ArgumentException($"Orchestrator:Store:Provider is Postgres but ConnectionStrings:{ConnectionStringName} is not set.");
        if (Provider == StoreProvider.Sqlite && string.IsNullOrWhiteSpace(Path))
            throw new ArgumentException("Orchestrator:Store:Path (the SQLite file) is empty.");
        if (MaxFinished < 1) throw new ArgumentException($"Orchestrator:Store:MaxFinished must be at least 1, was {MaxFinished}.");
    }
}
