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
    /// <summary>
    /// PostgreSQL connections this orchestrator opens at most; callers beyond it wait for a free one. Keep it well
    /// below the server's <c>max_connections</c> divided by the number of orchestrators.
    /// </summary>
    public int MaxConnections { get; init; } = 16;
    /// <summary>PostgreSQL connections kept open while idle, so a burst after a quiet spell does not open them all at once.</summary>
    public int MinConnections { get; init; } = 4;

    public void Validate(string? postgresConnectionString)
    {
        if (Provider == StoreProvider.Postgres && string.IsNullOrWhiteSpace(postgresConnectionString))
            throw new ArgumentException($"Orchestrator:Store:Provider is Postgres but ConnectionStrings:{ConnectionStringName} is not set.");
        if (Provider == StoreProvider.Sqlite && string.IsNullOrWhiteSpace(Path))
            throw new ArgumentException("Orchestrator:Store:Path (the SQLite file) is empty.");
        if (MaxFinished < 1) throw new ArgumentException($"Orchestrator:Store:MaxFinished must be at least 1, was {MaxFinished}.");
        if (MaxConnections < 1) throw new ArgumentException($"Orchestrator:Store:MaxConnections must be at least 1, was {MaxConnections}.");
        if (MinConnections < 0 || MinConnections > MaxConnections)
            throw new ArgumentException($"Orchestrator:Store:MinConnections must be between 0 and MaxConnections ({MaxConnections}), was {MinConnections}.");
    }
}
