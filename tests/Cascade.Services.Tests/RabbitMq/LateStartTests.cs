using Cascade.AllInOne;
using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.RabbitMq;

/// <summary>Services start in any order: stage commands sent before a stage is up wait in its queue.</summary>
public sealed class LateStartTests : IAsyncLifetime
{
    private RabbitMqVirtualHost _virtualHost = null!;
    private readonly string _messageData = Path.Combine(Path.GetTempPath(), $"cascade-test-data-{Guid.NewGuid():N}");
    private ServiceHost? _orchestrator;
    private ServiceHost? _stages;

    public async Task InitializeAsync() => _virtualHost = await RabbitMqVirtualHost.CreateAsync();

    [Fact]
    public async Task A_submission_made_before_the_gate_and_classifier_start_completes_once_they_do()
    {
        var settings = RabbitMqSettings.For(_virtualHost, _messageData, ("Orchestrator:StageTimeout", "00:01:00"));
        _orchestrator = await ServiceHost.StartAsync(CascadeRoles.Orchestrator, settings);
        var pending = _orchestrator.Get<SubmissionService>().ClassifyAsync(TestImages.Grizzly(3), timeoutSeconds: 60);
        await Task.Delay(500);
        pending.IsCompleted.Should().BeFalse();

        _stages = await ServiceHost.StartAsync(CascadeRoles.Gate | CascadeRoles.Classifier, settings);

        var result = await pending;
        result.Status.Should().Be(SubmissionStatus.Completed);
        result.Label.Should().Be("grizzly");
    }

    public async Task DisposeAsync()
    {
        if (_stages is not null) await _stages.DisposeAsync();
        if (_orchestrator is not null) await _orchestrator.DisposeAsync();
        await _virtualHost.DisposeAsync();
        if (Directory.Exists(_messageData)) Directory.Delete(_messageData, recursive: true);
    }
}
