using Cascade.AllInOne;
using Cascade.Orchestrator.Submissions;
using Cascade.Services.Tests.Fixtures;
using MassTransit;

namespace Cascade.Services.Tests.RabbitMq;

/// <summary>
/// The services as separate hosts on a fresh virtual host of the test broker: one orchestrator, one gate and
/// two classifier instances sharing the classifier queue. Image limit raised to 64 MB for the claim-check test.
/// </summary>
public sealed class RabbitStack : IAsyncLifetime
{
    public const long MaxImageBytes = 64L * 1024 * 1024;

    private RabbitMqVirtualHost? _virtualHost;

    public RabbitMqVirtualHost VirtualHost => _virtualHost!;
    public string MessageDataPath { get; } = Path.Combine(Path.GetTempPath(), $"cascade-test-data-{Guid.NewGuid():N}");
    public ServiceHost Orchestrator { get; private set; } = null!;
    public ServiceHost Gate { get; private set; } = null!;
    public ServiceHost ClassifierA { get; private set; } = null!;
    public ServiceHost ClassifierB { get; private set; } = null!;
    public ConsumeCounter GateCounter { get; } = new();
    public ConsumeCounter ClassifierACounter { get; } = new();
    public ConsumeCounter ClassifierBCounter { get; } = new();

    public SubmissionService Submissions => Orchestrator.Get<SubmissionService>();

    public async Task InitializeAsync()
    {
        _virtualHost = await RabbitMqVirtualHost.CreateAsync();
        var settings = RabbitMqSettings.For(VirtualHost, MessageDataPath, ("Inference:MaxImageBytes", MaxImageBytes.ToString()), ("Orchestrator:MaxImageBytes", MaxImageBytes.ToString()), ("Orchestrator:StageTimeout", "00:00:30"));
        var starting = new[]
        {
            ServiceHost.StartAsync(CascadeRoles.Orchestrator, settings),
            ServiceHost.StartAsync(CascadeRoles.Gate, settings),
            ServiceHost.StartAsync(CascadeRoles.Classifier, settings),
            ServiceHost.StartAsync(CascadeRoles.Classifier, settings),
        };
        var hosts = await Task.WhenAll(starting);
        (Orchestrator, Gate, ClassifierA, ClassifierB) = (hosts[0], hosts[1], hosts[2], hosts[3]);
        Gate.Get<IBus>().ConnectConsumeObserver(GateCounter);
        ClassifierA.Get<IBus>().ConnectConsumeObserver(ClassifierACounter);
        ClassifierB.Get<IBus>().ConnectConsumeObserver(ClassifierBCounter);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { Orchestrator, Gate, ClassifierA, ClassifierB })
            if (host is not null) await host.DisposeAsync();
        if (_virtualHost is not null) await _virtualHost.DisposeAsync();
        if (Directory.Exists(MessageDataPath)) Directory.Delete(MessageDataPath, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class RabbitStackCollection : ICollectionFixture<RabbitStack>
{
    public const string Name = "RabbitMQ stack";
}
