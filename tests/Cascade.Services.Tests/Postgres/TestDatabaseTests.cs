using Cascade.Services.Tests.Fixtures;
using Npgsql;

namespace Cascade.Services.Tests.Postgres;

/// <summary>The PostgreSQL fixture itself: a real server, and a database per test that no other test sees.</summary>
public sealed class TestDatabaseTests
{
    [Fact]
    public async Task Each_created_database_is_empty_and_apart_from_the_others()
    {
        var server = await TestDatabase.Instance;
        var first = await server.CreateDatabaseAsync("fixture");
        var second = await server.CreateDatabaseAsync("fixture");
        try
        {
            new NpgsqlConnectionStringBuilder(first).Database.Should().NotBe(new NpgsqlConnectionStringBuilder(second).Database);
            await ExecuteAsync(first, "CREATE TABLE submissions (id uuid PRIMARY KEY); INSERT INTO submissions VALUES (gen_random_uuid())");

            (await ScalarAsync(first, "SELECT count(*) FROM submissions")).Should().Be(1L);
            (await ScalarAsync(second, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'submissions'")).Should().Be(0L, "a new database starts empty");
        }
        finally
        {
            await server.DropDatabaseAsync(first);
            await server.DropDatabaseAsync(second);
        }
        (await ScalarAsync(server.ConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{new NpgsqlConnectionStringBuilder(first).Database}'"))
            .Should().Be(0L, "a dropped database is gone");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
