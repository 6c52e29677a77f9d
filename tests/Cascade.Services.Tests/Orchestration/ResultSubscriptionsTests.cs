using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator;
using Cascade.Orchestrator.Submissions;

namespace Cascade.Services.Tests.Orchestration;

/// <summary>Result streams and waiters in one orchestrator: bounded, and each result once per stream.</summary>
public sealed class ResultSubscriptionsTests
{
    [Fact]
    public async Task A_stream_that_falls_behind_its_buffer_is_ended_with_watcher_too_slow()
    {
        var subscriptions = new ResultSubscriptions(new OrchestratorOptions { WatchBuffer = 2 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var stream = subscriptions.Subscribe(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = stream.MoveNextAsync();  // the subscription is made when the stream is first read

        foreach (var _ in Enumerable.Range(0, 4)) subscriptions.Complete(Finished(Guid.NewGuid()));

        (await first).Should().BeTrue();
        var read = 1;
        var ended = async () => { while (await stream.MoveNextAsync()) read++; };
        (await ended.Should().ThrowAsync<CascadeException>()).Which.ErrorCode.Should().Be(ErrorCodes.WatcherTooSlow);
        read.Should().BeLessThan(4, "the results beyond the buffer were not kept for the slow reader");
    }

    [Fact]
    public async Task A_result_heard_twice_reaches_a_stream_once_and_every_waiter()
    {
        var subscriptions = new ResultSubscriptions(new OrchestratorOptions());
        var id = Guid.NewGuid();
        using var one = subscriptions.Wait(id);
        using var two = subscriptions.Wait(id);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var stream = subscriptions.Subscribe(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = stream.MoveNextAsync();

        // Finished here, then heard again from the bus (every orchestrator's notification reaches this one too).
        subscriptions.Complete(Finished(id));
        subscriptions.Complete(Finished(id));
        subscriptions.Complete(Finished(Guid.NewGuid()));

        (await one.Result.WaitAsync(cancel.Token)).SubmissionId.Should().Be(id);
        (await two.Result.WaitAsync(cancel.Token)).SubmissionId.Should().Be(id);
        (await next).Should().BeTrue();
        stream.Current.SubmissionId.Should().Be(id);
        (await stream.MoveNextAsync()).Should().BeTrue();
        stream.Current.SubmissionId.Should().NotBe(id, "the second copy of the first result was not streamed again");
    }

    private static SubmissionFinished Finished(Guid id) => new()
    {
        SubmissionId = id,
        Status = SubmissionStatus.Rejected,
        TotalMs = 1,
        SubmittedAt = DateTimeOffset.UtcNow,
        FinishedAt = DateTimeOffset.UtcNow,
    };
}
