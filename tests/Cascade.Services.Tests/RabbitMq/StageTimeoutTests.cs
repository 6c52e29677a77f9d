using System.Diagnostics;
using Cascade.AllInOne;
using Cascade.Contracts;
using Cascade.Services.Tests.Fixtures;
using MassTransit;

namespace Cascade.Services.Tests.RabbitMq;

/// <summary>No classifier runs here: accepted images must end TimedOut, and a late answer must not change that.</summary>
public sealed class StageTimeoutTests : IAsyncLifetime
{
    private RabbitMqVirtualHost _virtualHost = null!;
    private readonly string _messageData = Path.Combine(Path.GetTempPath(), $"cascade-test-data-{Guid.NewGuid():N}");
    private ServiceHost _orchestrator = null!;
    private ServiceHost _gate = null!;

    public async Task InitializeAsync()
    {
        _virtualHost = await RabbitMqVirtualHost.CreateAsync();
        var settings = RabbitMqSettings.For(_virtualHost, _messageData, ("Orchestrator:StageTimeout", "00:00:03"));
        var hosts = await Task.WhenAll(ServiceHost.StartAsync(CascadeRoles.Orchestrator, settings), ServiceHost.StartAsync(CascadeRoles.Gate, settings));
        (_orchestrator, _gate) = (hosts[0], hosts[1]);
    }

    [Fact]
    public async Task Classifier_down_ends_timed_out_and_a_late_answer_changes_nothing()
    {
        var submissions = _orchestrator.Get<Orchestrator.Submissions.SubmissionService>();
        var watch = Stopwatch.StartNew();

        var result = await submissions.ClassifyAsync(TestImages.Grizzly(3), timeoutSeconds: 15);

        result.Status.Should().Be(SubmissionStatus.TimedOut);
        result.ErrorCode.Should().Be("STAGE_TIMEOUT");
        result.Gate.Should().NotBeNull("the gate answered before the classifier timed out");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));

        await _orchestrator.Get<IBus>().Publish(new ImageClassified
        {
            SubmissionId = result.SubmissionId,
            Label = "grizzly",
            Gate = result.Gate!,
            Classifier = new ClassifierResult([], new ModelInfo("late", "1"), new StageTimings(0, 0, 0, 1, 0)),
        });
        await Task.Delay(1000);
        (await submissions.GetStatusAsync(result.SubmissionId)).Should().BeEquivalentTo(result);
    }

    public async Task DisposeAsync()
    {
        await _orchestrator.DisposeAsync();
        await _gate.DisposeAsync();
        await _virtualHost.DisposeAsync();
        if (Directory.Exists(_messageData)) Directory.Delete(_messageData, recursive: true);
    }
}
