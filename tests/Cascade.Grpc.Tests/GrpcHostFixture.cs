using Cascade.Protos.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Cascade.Grpc.Tests;

/// <summary>The live all-in-one stack with a small receive limit, and Grpc.Net.Client stubs on its gRPC endpoint.</summary>
public sealed class GrpcHostFixture : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;
    private LiveCascadeHost? _host;
    private GrpcChannel? _channel;

    public LiveCascadeHost Host => _host!;
    public int GrpcPort => Host.GrpcPort;
    public OrchestratorService.OrchestratorServiceClient Orchestrator { get; private set; } = null!;
    public GateService.GateServiceClient Gate { get; private set; } = null!;
    public ClassifierService.ClassifierServiceClient Classifier { get; private set; } = null!;
    public Health.HealthClient Health { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await LiveCascadeHost.StartAsync($"--Grpc:MaxReceiveMessageSize={MaxReceiveMessageSize}");
        // The client's own limit is raised so that the server's limit is the one tested.
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress, new GrpcChannelOptions { MaxSendMessageSize = null });
        Orchestrator = new(_channel);
        Gate = new(_channel);
        Classifier = new(_channel);
        Health = new(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GrpcHostCollection : ICollectionFixture<GrpcHostFixture>
{
    public const string Name = "gRPC host";
}
