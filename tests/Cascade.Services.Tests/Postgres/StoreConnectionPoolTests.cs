using Cascade.Services.Tests.Fixtures;
using Npgsql;

namespace Cascade.Services.Tests.Postgres;

/// <summary>
/// <c>Orchestrator:Store:MaxConnections</c> bounds the connections one orchestrator opens, however many callers it has:
/// with Npgsql's default pool of 100, a busy orchestrator took every connection the server had.
/// </summary>
public sealed class StoreConnectionPoolTests
{
    private const int MaxConnections = 3;
    private const int Callers = 32;

    [Fact]
    public async Task Many_concurrent_callers_share_at_most_MaxConnections_connections()
    {
        await using var database = await StoreUnderTest.PostgresAsync("pool", new Dictionary<string, string?>
        {
            ["Orchestrator:Store:MaxConnections"] = $"{MaxConnections}",
            ["Orchestrator:Store:MinConnections"] = "1",
        });
        var server = await TestDatabase.Instance;
        var store = database.Store;

        var peak = 0L;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) peak = Math.Max(peak, await ConnectionsToAsync(server.ConnectionString, database.ConnectionString!));
        });
        var counts = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            var answered = 0;
            for (var i = 0; i < 20; i++)
            {
                await store.CountInFlightAsync();
                answered++;
            }
            return answered;
        })));
        await stop.CancelAsync();
        await sampler;

        counts.Sum().Should().Be(Callers * 20, "callers beyond the pool wait for a connection; none fails");
        peak.Should().BeInRange(1, MaxConnections, $"{Callers} callers share the orchestrator's {MaxConnections} connections");
    }

    private static async Task<long> ConnectionsToAsync(string maintenance, string database)
    {
        await using var connection = new NpgsqlConnection(maintenance);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", new NpgsqlConnectionStringBuilder(database).Database!);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
