using Cascade.Contracts;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Cascade.Services.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cascade.Services.Tests.Postgres;

/// <summary>
/// The store's single-statement writes on PostgreSQL, where orchestrators really race: answers applied at once to one
/// submission finish it exactly once, with exactly one result owed in the outbox, and the losers see the winner's row.
/// </summary>
public sealed class SubmissionStoreTests
{
    private const int RacingAnswers = 12;

    [Fact]
    public async Task Racing_answers_finish_a_submission_once_and_owe_one_result()
    {
        await using var database = await PostgresSubmissionStore.CreateAsync("race");
        var store = database.Store;
        var machine = database.Services.GetRequiredService<SubmissionStateMachine>();

        var id = Guid.NewGuid();
        var now = store.Now();
        var stored = await store.AddAsync(machine.Start(new SubmissionRecord
        {
            Id = id, ClientRequestId = "race", ImageSha256 = "00", ImageAddress = "file:///race", SubmittedAt = now,
        }, now));
        stored.Should().BeNull("the id is new");
        (await store.AddAsync(machine.Start(new SubmissionRecord { Id = id, ImageSha256 = "00", ImageAddress = "file:///again", SubmittedAt = now }, now)))
            .Should().NotBeNull().And.Match<SubmissionRecord>(s => s.ImageAddress == "file:///race", "the id is taken: the first row is returned");

        var gate = new GateResult(0.9, 0.5, new ModelInfo("gate", "1"), new StageTimings(1, 0, 1, 1, 2));
        var moved = await store.TransitionAsync(id, (s, t) => machine.Gated(s, new ImageGated { SubmissionId = id, Accepted = true, Gate = gate }, t));
        moved!.Value.Outcome.Should().Be(Transition.Moved);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = Enumerable.Range(0, RacingAnswers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await store.TransitionAsync(id, (s, t) => machine.Failed(s, $"E{i}", "racing", t));
        })).ToList();
        start.SetResult();
        var outcomes = (await Task.WhenAll(answers)).Select(o => o!.Value).ToList();

        outcomes.Should().ContainSingle(o => o.Outcome == Transition.Finished, "one answer wins the compare-and-set");
        var winner = outcomes.Single(o => o.Outcome == Transition.Finished).Submission;
        outcomes.Where(o => o.Outcome != Transition.Finished).Should().OnlyContain(o => o.Outcome == Transition.Ignored && o.Submission.ErrorCode == winner.ErrorCode,
            "the others were applied again to the winner's row");
        var final = await store.FindAsync(id);
        final!.Status.Should().Be(SubmissionStatus.Failed);
        final.ErrorCode.Should().Be(winner.ErrorCode);
        final.Gate.Should().Be(gate);
        final.Version.Should().Be(2, "two transitions were stored: gated, then failed");
        (await OutboxKindsAsync(database.ConnectionString, id)).Should().BeEquivalentTo([nameof(OutboxKind.GateCommand), nameof(OutboxKind.Result)],
            "the submission owes its gate command and exactly one result");
    }

    [Fact]
    public async Task A_taken_id_is_looked_up_without_holding_a_second_connection()
    {
        // One connection: the failed insert must have given it back before the lookup of the row it collided with.
        await using var database = await PostgresSubmissionStore.CreateAsync("taken", new Dictionary<string, string?>
        {
            ["Orchestrator:Store:MaxConnections"] = "1",
            ["Orchestrator:Store:MinConnections"] = "0",
        });
        var store = database.Store;
        var machine = database.Services.GetRequiredService<SubmissionStateMachine>();
        var id = Guid.NewGuid();
        var now = store.Now();
        SubmissionRecord New(string address) => machine.Start(new SubmissionRecord { Id = id, ImageSha256 = "00", ImageAddress = address, SubmittedAt = now }, now);
        await store.AddAsync(New("file:///first"));

        var again = await store.AddAsync(New("file:///again")).WaitAsync(TimeSpan.FromSeconds(10));

        again!.ImageAddress.Should().Be("file:///first");
    }

    [Fact]
    public async Task A_resubmission_is_owed_its_reply_in_flight_and_after_the_end()
    {
        await using var database = await PostgresSubmissionStore.CreateAsync("replies");
        var store = database.Store;
        var machine = database.Services.GetRequiredService<SubmissionStateMachine>();
        var id = Guid.NewGuid();
        var now = store.Now();
        await store.AddAsync(machine.Start(new SubmissionRecord { Id = id, ImageSha256 = "00", ImageAddress = "file:///replies", ReplyTo = "first", SubmittedAt = now }, now));

        await store.RedirectRepliesAsync(id, "second");
        (await store.FindAsync(id))!.Should().Match<SubmissionRecord>(s => s.ReplyTo == "second" && s.Version == 1, "in flight, the result goes to the new queue too");
        await store.TransitionAsync(id, (s, t) => machine.Failed(s, "E", "ended", t));
        await store.RedirectRepliesAsync(id, "third");
        (await store.FindAsync(id))!.Should().Match<SubmissionRecord>(s => s.ReplyTo == "second" && s.Version == 2, "a finished row does not change");

        (await OutboxKindsAsync(database.ConnectionString, id)).Should().Equal(
            nameof(OutboxKind.GateCommand), nameof(OutboxKind.Reply), nameof(OutboxKind.Result), nameof(OutboxKind.Reply));
    }

    private static async Task<List<string>> OutboxKindsAsync(string database, Guid id)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Kind\" FROM outbox WHERE \"SubmissionId\" = @id ORDER BY \"Id\"", connection);
        command.Parameters.AddWithValue("id", id);
        var kinds = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) kinds.Add(reader.GetString(0));
        return kinds;
    }
}
