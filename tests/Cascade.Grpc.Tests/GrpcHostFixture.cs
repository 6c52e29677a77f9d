using System.Net;
using System.Net.Sockets;
using Cascade.AllInOne;
using Cascade.Grpc.Client;
using Cascade.ServiceDefaults;
using Microsoft.AspNetCore.Builder;

namespace Cascade.Grpc.Tests;

/// <summary>The all-in-one stack on real Kestrel (in-memory bus, real models), with its gRPC endpoint on a free port.</summary>
public sealed class GrpcHostFixture : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;
    private WebApplication? _app;

    public int GrpcPort { get; } = FreePort();
    public Uri Address => new($"http://127.0.0.1:{GrpcPort}");
    public GrpcClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = CascadeHost.BuildAllInOne(
        [
            $"--urls=http://127.0.0.1:{FreePort()}",
            $"--Grpc:Port={GrpcPort}",
            $"--Grpc:MaxReceiveMessageSize={MaxReceiveMessageSize}",
            $"--Inference:ModelDirectory={SharedAssets.ModelDirectory}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        await _app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        Client = GrpcClient.Create(Address);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class GrpcHostCollection : ICollectionFixture<GrpcHostFixture>
{
    public const string Name = "gRPC host";
}
