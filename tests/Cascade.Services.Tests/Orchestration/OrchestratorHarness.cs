using Cascade.Orchestrator;
using Cascade.Orchestrator.Extensions;
using Cascade.Orchestrator.Store;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Bus;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cascade.Services.Tests.Orchestration;

/// <summary>
/// The orchestrator exactly as registered in production (store, outbox, consumers) on MassTransit's test harness,
/// with the stages played by the test: it sees every message the orchestrator sends and publishes its answers.
/// </summary>
public sealed class OrchestratorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _started = [];

    private OrchestratorHarness(ServiceProvider provider) => _provider = provider;

    public ITestHarness Bus => _provider.GetRequiredService<ITestHarness>();
    public SubmissionService Submissions => _provider.GetRequiredService<SubmissionService>();
    public SubmissionStore Store => _provider.GetRequiredService<SubmissionStore>();

    public async Task<bool> ClaimCheckExistsAsync(Uri address)
    {
        try
        {
            await using var _ = await _provider.GetRequiredService<IMessageDataRepository>().Get(address);
            return true;
        }
        catch (MessageDataNotFoundException)
        {
            return false;
        }
    }

    /// <param name="settings">Orchestrator settings on top of an in-memory store and a 30 s stage timeout.</param>
    public static async Task<OrchestratorHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestrator:Store:Provider"] = nameof(StoreProvider.Memory),
            ["Orchestrator:StageTimeout"] = "00:00:30",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var claimChecks = new ExpiringInMemoryMessageDataRepository(TimeProvider.System);
        var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(new BusOptions { Transport = BusTransport.InMemory })
            .AddSingleton<IMessageDataRepository>(claimChecks)
            .AddSingleton<IDeletableClaimChecks>(claimChecks)
            .AddOrchestrator(configuration)
            .AddMassTransitTestHarness(bus => bus.AddOrchestratorConsumers())
            .BuildServiceProvider(true);
        var harness = new OrchestratorHarness(provider);
        // The orchestrator's own background services (schema first, as in the host); the harness starts the bus.
        foreach (var service in provider.GetServices<IHostedService>().Where(s => s.GetType().Assembly == typeof(OrchestratorOptions).Assembly))
        {
            await service.StartAsync(CancellationToken.None);
            harness._started.Add(service);
        }
        await harness.Bus.Start();
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.Stop();
        foreach (var service in Enumerable.Reverse(_started)) await service.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
