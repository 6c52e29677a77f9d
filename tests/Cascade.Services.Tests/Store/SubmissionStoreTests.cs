using Cascade.Contracts;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Cascade.Services.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Services.Tests.Store;

/// <summary>
/// The store's writes on every provider: answers applied at once to one submission finish it exactly once, with exactly
/// one result owed in the outbox, and the losers see the winner's row (on PostgreSQL they really race; on SQLite they
/// take turns on the one connection); a taken id returns the first row; resubmissions are owed their replies.
/// </summary>
public sealed class SubmissionStoreTests
{
    private const int RacingAnswers = 12;

    public static TheoryData<StoreProvider> Providers => new(StoreProvider.Postgres, StoreProvider.Sqlite, StoreProvider.Memory);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Racing_answers_finish_a_submission_once_and_owe_one_result(StoreProvider provider)
    {
        await using var database = await StoreUnderTest.CreateAsync(provider, "race");
        var store = database.Store;
        var machine = database.Machine;

        var id = Guid.NewGuid();
        var first = Started(database, id, "file:///race");
        first.ClientRequestId = "race";
        (await store.AddAsync(first)).Should().BeNull("the id is new");
        (await store.AddAsync(Started(database, id, "file:///again")))
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
        (await database.OutboxKindsAsync(id)).Should().BeEquivalentTo([nameof(OutboxKind.GateCommand), nameof(OutboxKind.Result)],
            "the submission owes its gate command and exactly one result");
    }

    [Fact]
    public async Task A_taken_id_is_looked_up_without_holding_a_second_connection()
    {
        // One connection: the failed insert must have given it back before the lookup of the row it collided with.
        await using var database = await StoreUnderTest.PostgresAsync("taken", new Dictionary<string, string?>
        {
            ["Orchestrator:Store:MaxConnections"] = "1",
            ["Orchestrator:Store:MinConnections"] = "0",
        });
        var store = database.Store;
        var id = Guid.NewGuid();
        await store.AddAsync(Started(database, id, "file:///first"));

        var again = await store.AddAsync(Started(database, id, "file:///again")).WaitAsync(TimeSpan.FromSeconds(10));

        again!.ImageAddress.Should().Be("file:///first");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_resubmission_is_owed_its_reply_in_flight_and_after_the_end(StoreProvider provider)
    {
        await using var database = await StoreUnderTest.CreateAsync(provider, "replies");
        var store = database.Store;
        var machine = database.Machine;
        var id = Guid.NewGuid();
        var submission = Started(database, id, "file:///replies");
        submission.ReplyTo = "first";
        await store.AddAsync(submission);

        await store.RedirectRepliesAsync(id, "second");
        (await store.FindAsync(id))!.Should().Match<SubmissionRecord>(s => s.ReplyTo == "second" && s.Version == 1, "in flight, the result goes to the new queue too");
        await store.TransitionAsync(id, (s, t) => machine.Failed(s, "E", "ended", t));
        await store.RedirectRepliesAsync(id, "third");
        (await store.FindAsync(id))!.Should().Match<SubmissionRecord>(s => s.ReplyTo == "second" && s.Version == 2, "a finished row does not change");

        (await database.OutboxKindsAsync(id)).Should().Equal(
            nameof(OutboxKind.GateCommand), nameof(OutboxKind.Reply), nameof(OutboxKind.Result), nameof(OutboxKind.Reply));
    }

    /// <summary>A new submission <paramref name="id"/> with its claim check at <paramref name="imageAddress"/>, started by the state machine.</summary>
    private static SubmissionRecord Started(StoreUnderTest database, Guid id, string imageAddress)
    {
        var now = database.Store.Now();
        return database.Machine.Start(new SubmissionRecord { Id = id, ImageSha256 = "00", ImageAddress = imageAddress, SubmittedAt = now }, now);
    }
}
