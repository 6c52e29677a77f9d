using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.Outbox;
using Cascade.Orchestrator.StateMachines;
using Cascade.Protos;
using Cascade.Services.Tests.Fixtures;
using MassTransit;
using MassTransit.Testing;

namespace Cascade.Services.Tests.Orchestration;

/// <summary>The submission's transitions through the real consumers, store and outbox, with the stages played by the test.</summary>
public sealed class SubmissionStateMachineTests : IAsyncLifetime
{
    private static readonly GateResult Gate = new(0.9, 0.1, new ModelInfo("gate", "1"), new StageTimings(1, 0, 1, 1, 2));
    private static readonly ClassifierResult Classifier =
        new([new LabelScore("teddy", 0.9, 0.2)], new ModelInfo("classifier", "1"), new StageTimings(1, 0, 1, 1, 2));
    private OrchestratorHarness _orchestrator = null!;

    public async Task InitializeAsync() => _orchestrator = await OrchestratorHarness.StartAsync();

    public async Task DisposeAsync() => await _orchestrator.DisposeAsync();

    [Fact]
    public async Task Accepted_then_classified_ends_completed_with_one_result_and_its_claim_check_deleted()
    {
        var id = await _orchestrator.Submissions.SubmitAsync(new byte[] { 1, 2, 3 }, clientRequestId: null);
        var image = (await GateCommandAsync(id)).Image.Address;
        (await StatusAsync(id)).Should().Be(SubmissionStatus.Gating);

        await _orchestrator.Bus.Bus.Publish(new ImageGated { SubmissionId = id, Accepted = true, Gate = Gate });
        await WaitUntilAsync(async () => await StatusAsync(id) == SubmissionStatus.Classifying);
        await _orchestrator.Bus.Bus.Publish(new ImageClassified { SubmissionId = id, Label = "teddy", Gate = Gate, Classifier = Classifier });

        var finished = await WaitAsync(id);
        finished.Status.Should().Be(SubmissionStatus.Completed);
        finished.Verdict.Should().Be(Verdict.Label);
        finished.Label.Should().Be("teddy");
        finished.Classifier.Should().BeEquivalentTo(Classifier);
        await WaitUntilAsync(() => Task.FromResult(ResultsSent(id) == 1));
        await WaitUntilAsync(async () => !await _orchestrator.ClaimCheckExistsAsync(image));
    }

    [Fact]
    public async Task The_result_writes_its_durations_to_a_hundredth_of_a_millisecond()
    {
        var id = await _orchestrator.Submissions.SubmitAsync(new byte[] { 7, 8, 9 }, clientRequestId: null);
        await GateCommandAsync(id);
        // What stage timings are: sums and differences of doubles (0.1 + 0.2 is 0.30000000000000004).
        var timings = new StageTimings(0.1 + 0.2, 36.1073 - 3.0000000000000004, 3.5521000000000003, 1, 40.0 / 3);

        await _orchestrator.Bus.Bus.Publish(new ImageGated { SubmissionId = id, Accepted = false, Gate = Gate with { Score = 0.01, Timings = timings } });

        await WaitUntilAsync(() => Task.FromResult(ResultsSent(id) == 1));
        var sent = _orchestrator.Bus.Sent.Select<ResultJsonMessage>(x => x.Context.Message.Result.SubmissionId == id.ToString()).Last().Context.Message;
        ResultJson.Format(sent.Result).Should().Contain("\"timing\":{\"preprocessMs\":0.3,\"queueMs\":33.11,\"inferenceMs\":3.55,\"batchSize\":1,\"stageMs\":13.33}");
    }

    [Theory]
    [InlineData("refused", SubmissionStatus.Rejected)]
    [InlineData("failed", SubmissionStatus.Failed)]
    [InlineData("faulted", SubmissionStatus.Failed)]
    public async Task Gating_ends_in_the_matching_final_state(string outcome, SubmissionStatus expected)
    {
        var id = await _orchestrator.Submissions.SubmitAsync(new byte[] { 1, 2, 3 }, clientRequestId: null);
        var command = await GateCommandAsync(id);
        var bus = _orchestrator.Bus.Bus;
        await (outcome switch
        {
            "refused" => bus.Publish(new ImageGated { SubmissionId = id, Accepted = false, Gate = Gate with { Score = 0.01 } }),
            "failed" => bus.Publish(new StageFailed { SubmissionId = id, Stage = "gate", ErrorCode = "IMAGE_CORRUPT", ErrorMessage = "bad" }),
            // What MassTransit publishes when the gate's consumer throws after its retries.
            _ => bus.Publish<Fault<GateImage>>(new
            {
                FaultId = Guid.NewGuid(),
                Message = command,
                Timestamp = DateTime.UtcNow,
                Exceptions = new[] { new { ExceptionType = "System.InvalidOperationException", Message = "model crashed" } },
            }),
        });

        var finished = await WaitAsync(id);
        finished.Status.Should().Be(expected);
        if (outcome == "refused") finished.Verdict.Should().Be(Verdict.NoObject);
        if (outcome == "failed") finished.ErrorCode.Should().Be("IMAGE_CORRUPT");
        if (outcome == "faulted") finished.ErrorCode.Should().Be(SubmissionStateMachine.StageFaultCode);
    }

    [Fact]
    public async Task A_stage_that_does_not_answer_times_out_once_and_its_late_answer_changes_nothing()
    {
        await using var orchestrator = await OrchestratorHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Orchestrator:StageTimeout"] = "00:00:01",
            ["Orchestrator:DeadlineScanInterval"] = "00:00:00.050",
        });
        var id = await orchestrator.Submissions.SubmitAsync(new byte[] { 1, 2, 3 }, clientRequestId: null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var finished = await orchestrator.Submissions.WaitForResultAsync(id, timeout.Token);
        finished.Status.Should().Be(SubmissionStatus.TimedOut);
        finished.ErrorCode.Should().Be(SubmissionStateMachine.StageTimeoutCode);

        await orchestrator.Bus.Bus.Publish(new ImageClassified { SubmissionId = id, Label = "teddy", Gate = Gate, Classifier = Classifier });
        await WaitUntilAsync(() => Task.FromResult(orchestrator.Bus.Consumed.Select<ImageClassified>(x => x.Context.Message.SubmissionId == id).Any()));
        await Task.Delay(300);
        (await orchestrator.Submissions.GetStatusAsync(id)).Should().BeOfType<SubmissionFinished>().Which.Status.Should().Be(SubmissionStatus.TimedOut);
        orchestrator.Bus.Sent.Select<ResultJsonMessage>(x => x.Context.Message.Result.SubmissionId == id.ToString()).Should().HaveCount(1);
    }

    [Fact]
    public async Task Answers_racing_each_other_finish_the_submission_exactly_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++) ids.Add(await _orchestrator.Submissions.SubmitAsync(new byte[] { 1, 2, (byte)i }, clientRequestId: null));
        // Both answers at once, and each twice (a redelivery): compare-and-set lets one transition win per state.
        await Task.WhenAll(ids.SelectMany(id => new[]
        {
            _orchestrator.Bus.Bus.Publish(new ImageGated { SubmissionId = id, Accepted = true, Gate = Gate }),
            _orchestrator.Bus.Bus.Publish(new ImageClassified { SubmissionId = id, Label = "teddy", Gate = Gate, Classifier = Classifier }),
            _orchestrator.Bus.Bus.Publish(new ImageClassified { SubmissionId = id, Label = "teddy", Gate = Gate, Classifier = Classifier }),
        }));
        foreach (var id in ids) (await WaitAsync(id)).Status.Should().Be(SubmissionStatus.Completed);
        await Task.Delay(300);
        foreach (var id in ids) ResultsSent(id).Should().Be(1, $"submission {id} finished once");
    }

    [Fact]
    public async Task A_repeated_client_request_id_is_the_same_submission_and_another_image_under_it_is_refused()
    {
        var first = await _orchestrator.Submissions.SubmitAsync(new byte[] { 1, 2, 3 }, "order-17");
        var again = await _orchestrator.Submissions.SubmitAsync(new byte[] { 1, 2, 3 }, "order-17");
        again.Should().Be(first);
        await Task.Delay(200);
        _orchestrator.Bus.Sent.Select<GateImage>(x => x.Context.Message.SubmissionId == first).Should().HaveCount(1, "a repeat starts nothing");

        var conflict = () => _orchestrator.Submissions.SubmitAsync(new byte[] { 9, 9, 9 }, "order-17");
        (await conflict.Should().ThrowAsync<CascadeException>()).Which.ErrorCode.Should().Be(ErrorCodes.IdempotencyConflict);
    }

    [Fact]
    public async Task A_watched_submission_gets_its_result_and_a_watched_repeat_of_a_finished_one_gets_the_stored_result()
    {
        using var first = await _orchestrator.Submissions.SubmitWatchedAsync(new byte[] { 4, 5, 6 }, "watched-1");
        await GateCommandAsync(first.Id);
        await _orchestrator.Bus.Bus.Publish(new ImageGated { SubmissionId = first.Id, Accepted = false, Gate = Gate });
        var finished = await first.ResultAsync().WaitAsync(TimeSpan.FromSeconds(10));
        finished.Status.Should().Be(SubmissionStatus.Rejected);

        // Nothing will notify this one: its answer is the stored result, read before waiting.
        using var again = await _orchestrator.Submissions.SubmitWatchedAsync(new byte[] { 4, 5, 6 }, "watched-1");
        again.Id.Should().Be(first.Id);
        var repeated = await again.ResultAsync().WaitAsync(TimeSpan.FromMilliseconds(500)); // sooner than the 1 s poll would read it
        repeated.Should().BeEquivalentTo(finished);
        _orchestrator.Bus.Sent.Select<GateImage>(x => x.Context.Message.SubmissionId == first.Id).Should().HaveCount(1, "a repeat starts nothing");
    }

    [Fact]
    public async Task A_resubmission_with_its_own_reply_queue_gets_the_status_now_and_the_result_later()
    {
        var id = await _orchestrator.Submissions.SubmitAsync(new byte[] { 4, 5, 6 }, "order-18", replyTo: "client-a");
        await _orchestrator.Submissions.SubmitAsync(new byte[] { 4, 5, 6 }, "order-18", replyTo: "client-b");
        // The pending status goes to the new reply queue at once.
        await WaitUntilAsync(() => Task.FromResult(_orchestrator.Bus.Sent.Select<ResultJsonMessage>(x => SentTo(x, "client-b") && x.Context.Message.Result.State == Protos.V1.State.Gating).Any()));

        await _orchestrator.Bus.Bus.Publish(new ImageGated { SubmissionId = id, Accepted = false, Gate = Gate with { Score = 0.01 } });
        await WaitAsync(id);
        // The final result goes to the latest reply queue.
        await WaitUntilAsync(() => Task.FromResult(_orchestrator.Bus.Sent.Select<ResultJsonMessage>(x => SentTo(x, "client-b") && x.Context.Message.Result.State == Protos.V1.State.Rejected).Any()));
    }

    [Theory]
    [InlineData("cascade-gate")]
    [InlineData("cascade.submissions")]
    [InlineData("amq.direct")]
    [InlineData("bad queue name")]
    public async Task A_reply_queue_that_is_not_the_callers_own_is_refused(string replyTo)
    {
        var submit = () => _orchestrator.Submissions.SubmitAsync(new byte[] { 1 }, null, replyTo);
        (await submit.Should().ThrowAsync<CascadeException>()).Which.ErrorCode.Should().Be(ErrorCodes.InvalidArgument);
    }

    [Fact]
    public async Task An_image_over_the_limit_is_refused_before_it_is_stored()
    {
        await using var orchestrator = await OrchestratorHarness.StartAsync(new Dictionary<string, string?> { ["Orchestrator:MaxImageBytes"] = "1000" });
        var submit = () => orchestrator.Submissions.SubmitAsync(new byte[1001], null);
        (await submit.Should().ThrowAsync<CascadeException>()).Which.ErrorCode.Should().Be(ErrorCodes.ImageTooLarge);
        (await orchestrator.Store.RecentAsync(10)).Should().BeEmpty();
        orchestrator.Bus.Sent.Select<GateImage>().Should().BeEmpty();
    }

    /// <summary>The gate command of a submission: the outbox sends it just after the submission is stored.</summary>
    private async Task<GateImage> GateCommandAsync(Guid id)
    {
        await WaitUntilAsync(() => Task.FromResult(_orchestrator.Bus.Sent.Select<GateImage>(x => x.Context.Message.SubmissionId == id).Any()));
        return _orchestrator.Bus.Sent.Select<GateImage>(x => x.Context.Message.SubmissionId == id).Single().Context.Message;
    }

    private static bool SentTo(ISentMessage<ResultJsonMessage> message, string queue) =>
        message.Context.DestinationAddress?.AbsolutePath.EndsWith("/" + queue, StringComparison.Ordinal) == true;

    private int ResultsSent(Guid id) =>
        _orchestrator.Bus.Sent.Select<ResultJsonMessage>(x => x.Context.Message.Result.SubmissionId == id.ToString() && x.Context.DestinationAddress!.AbsolutePath.Contains(ResultPublisher.ResultsExchange)).Count();

    private async Task<SubmissionStatus?> StatusAsync(Guid id) => (await _orchestrator.Submissions.GetStatusAsync(id)) switch
    {
        SubmissionFinished f => f.Status,
        Orchestrator.Submissions.PendingSubmission p => p.Status,
        _ => null,
    };

    private async Task<SubmissionFinished> WaitAsync(Guid id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _orchestrator.Submissions.WaitForResultAsync(id, timeout.Token);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(20), "the condition holds", everyMs: 20);
}
