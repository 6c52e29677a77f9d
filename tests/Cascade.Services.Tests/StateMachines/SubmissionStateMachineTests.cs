using Cascade.Contracts;
using Cascade.Orchestrator;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Submissions;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Services.Tests.StateMachines;

/// <summary>The saga's transitions on MassTransit's test harness, with the stages played by the test.</summary>
public sealed class SubmissionStateMachineTests : IAsyncLifetime
{
    private static readonly GateResult Gate = new(0.9, 0.1, new ModelInfo("gate", "1"), new StageTimings(1, 0, 1, 1, 2));
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<SubmissionStateMachine, SubmissionState> _saga = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(new OrchestratorOptions { StageTimeout = TimeSpan.FromSeconds(30) })
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ResultStore>()
            .AddSingleton<FinishSubmissionActivity>()
            .AddLogging()
            .AddMassTransitTestHarness(x => x.AddSagaStateMachine<SubmissionStateMachine, SubmissionState>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _saga = _harness.GetSagaStateMachineHarness<SubmissionStateMachine, SubmissionState>();
    }

    [Fact]
    public async Task Accepted_then_classified_ends_completed_with_one_final_event()
    {
        var id = await SubmitAsync();
        (await _saga.Exists(id, m => m.Gating)).Should().NotBeNull();
        (await _harness.Sent.Any<GateImage>(x => x.Context.Message.SubmissionId == id)).Should().BeTrue();

        await _harness.Bus.Publish(new ImageGated { SubmissionId = id, Accepted = true, Gate = Gate });
        (await _saga.Exists(id, m => m.Classifying)).Should().NotBeNull();

        await _harness.Bus.Publish(new ImageClassified
        {
            SubmissionId = id, Label = "teddy", Gate = Gate,
            Classifier = new ClassifierResult([new LabelScore("teddy", 0.9, 0.2)], new ModelInfo("classifier", "1"), new StageTimings(1, 0, 1, 1, 2)),
        });
        var finished = await FinishedAsync(id);
        finished.Status.Should().Be(SubmissionStatus.Completed);
        finished.Verdict.Should().Be(Verdict.Label);
        finished.Label.Should().Be("teddy");
        _provider.GetRequiredService<ResultStore>().TryGet(id, out var stored).Should().BeTrue("the result is visible to queries at once");
        (await stored.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeEquivalentTo(finished);
        (await _saga.NotExists(id)).Should().BeNull("a finished saga is removed, so late answers are discarded");
    }

    [Theory]
    [InlineData("refused", SubmissionStatus.Rejected)]
    [InlineData("failed", SubmissionStatus.Failed)]
    [InlineData("timeout", SubmissionStatus.TimedOut)]
    public async Task Gating_ends_in_the_matching_final_state(string outcome, SubmissionStatus expected)
    {
        var id = await SubmitAsync();
        (await _saga.Exists(id, m => m.Gating)).Should().NotBeNull();

        object message = outcome switch
        {
            "refused" => new ImageGated { SubmissionId = id, Accepted = false, Gate = Gate with { Score = 0.01 } },
            "failed" => new StageFailed { SubmissionId = id, Stage = "gate", ErrorCode = "IMAGE_CORRUPT", ErrorMessage = "bad" },
            _ => new StageTimedOut { SubmissionId = id },
        };
        await _harness.Bus.Publish(message);

        var finished = await FinishedAsync(id);
        finished.Status.Should().Be(expected);
        if (expected == SubmissionStatus.Rejected) finished.Verdict.Should().Be(Verdict.NoObject);
        if (expected == SubmissionStatus.Failed) finished.ErrorCode.Should().Be("IMAGE_CORRUPT");
        if (expected == SubmissionStatus.TimedOut) finished.ErrorCode.Should().Be(SubmissionStateMachine.StageTimeoutCode);
    }

    private async Task<Guid> SubmitAsync()
    {
        var id = Guid.NewGuid();
        var image = await new MassTransit.MessageData.InMemoryMessageDataRepository().PutBytes([1, 2, 3]);
        await _harness.Bus.Publish(new ImageSubmitted { SubmissionId = id, Image = image, SubmittedAt = DateTimeOffset.UtcNow, TraceId = "0af7651916cd43dd8448eb211c80319c" });
        return id;
    }

    /// <summary>The one result sent to the results exchange, read back as the contract from the result store.</summary>
    private async Task<SubmissionFinished> FinishedAsync(Guid id)
    {
        (await _harness.Sent.Any<ResultJsonMessage>(x => x.Context.Message.Result.SubmissionId == id.ToString())).Should().BeTrue();
        _harness.Sent.Select<ResultJsonMessage>(x => x.Context.Message.Result.SubmissionId == id.ToString()).Should().HaveCount(1);
        _provider.GetRequiredService<ResultStore>().TryGet(id, out var finished).Should().BeTrue();
        return await finished;
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }
}
