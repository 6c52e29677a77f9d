using Cascade.Grpc.Client;

namespace Cascade.Grpc.Tests;

/// <summary>The live all-in-one stack with a small receive limit, and our client on its gRPC endpoint.</summary>
public sealed class GrpcHostFixture : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;
    private LiveCascadeHost? _host;

    public int GrpcPort => _host!.GrpcPort;
    public Uri Address => _host!.GrpcAddress;
    public GrpcClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await LiveCascadeHost.StartAsync($"--Grpc:MaxReceiveMessageSize={MaxReceiveMessageSize}");
        Client = GrpcClient.Create(Address);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GrpcHostCollection : ICollectionFixture<GrpcHostFixture>
{
    public const string Name = "gRPC host";
}
