using Npgsql;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The PostgreSQL server the database-backed tests use, started once per test run. With a Docker engine: a
/// Testcontainers container of <c>CASCADE_POSTGRES_IMAGE</c> (default Docker Hub's <c>postgres:16</c>; test.sh sets
/// <c>cascade/postgres:local</c>, built by scripts/images.sh; labelled and swept by <see cref="OwnedContainers"/>).
/// Without one, or when <c>CASCADE_TEST_POSTGRES</c> (an Npgsql connection string with a user that may create
/// databases) is set: that server. Which one was used is printed once. Tests do not share state: each takes a
/// database of its own from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class TestDatabase
{
    private const string Variable = "CASCADE_TEST_POSTGRES";
    private static readonly Lazy<Task<TestDatabase>> Shared = new(StartAsync);

    private TestDatabase(string connectionString, string? containerId = null) => (ConnectionString, ContainerId) = (connectionString, containerId);

    public static Task<TestDatabase> Instance => Shared.Value;

    /// <summary>The server's maintenance database; create a database of your own to work in.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's Docker container (for <c>docker stats</c>), or null for a server given by <c>CASCADE_TEST_POSTGRES</c>.</summary>
    public string? ContainerId { get; }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose = "test")
    {
        var name = $"{new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}_{Guid.NewGuid():n}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            // A name made of [a-z0-9_] only: safe to put in the statement, which takes no parameters here.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what is still connected to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"")}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<TestDatabase> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (given is null && OwnedContainers.DockerAnswers())
        {
            var (container, startup) = await OwnedContainers.StartPostgreSqlAsync();
            OwnedContainers.Report($"PostgreSQL for the tests: Testcontainers container {container.Name} of {OwnedContainers.PostgresImage} on {container.Hostname}:{container.GetMappedPublicPort(5432)}, ready in {startup.TotalSeconds:0.0} s");
            return new TestDatabase(container.GetConnectionString(), container.Id);
        }
        if (given is null)
            throw new InvalidOperationException($"PostgreSQL for the tests: no Docker engine answered and {Variable} is not set (an Npgsql connection string, e.g. Host=127.0.0.1;Username=postgres;Password=...).");
        var builder = new NpgsqlConnectionStringBuilder(given);
        OwnedContainers.Report($"PostgreSQL for the tests: the server at {builder.Host}:{builder.Port} ({Variable})");
        return new TestDatabase(given);
    }
}
