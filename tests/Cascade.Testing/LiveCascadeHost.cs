using System.Net;
using System.Net.Sockets;
using Cascade.AllInOne;
using Cascade.ServiceDefaults;
using Microsoft.AspNetCore.Builder;

namespace Cascade.Testing;

/// <summary>
/// The all-in-one stack as `cascade serve` runs it, on real Kestrel with free ports (REST and, on its own HTTP/2
/// endpoint, gRPC), the in-memory bus and the real models: for tests whose clients are real network clients.
/// </summary>
public sealed class LiveCascadeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveCascadeHost(WebApplication app, Uri httpAddress, int grpcPort)
    {
        _app = app;
        HttpAddress = httpAddress;
        GrpcPort = grpcPort;
    }

    public Uri HttpAddress { get; }
    public int GrpcPort { get; }
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    /// <summary>What Kestrel actually bound (IServerAddressesFeature), e.g. <c>http://127.0.0.1:5001</c>.</summary>
    public ICollection<string> BoundAddresses => _app.Urls;

    public static Task<LiveCascadeHost> StartAsync(params string[] settings) => StartAsync(configure: null, settings);

    /// <param name="configure">Runs before the services are added: extra health checks, test doubles.</param>
    public static async Task<LiveCascadeHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var host = await StartUnreadyAsync(configure, settings);
        await host._app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Started, without waiting for readiness: for a stack that is never to be ready (a pack that cannot load).</summary>
    public static async Task<LiveCascadeHost> StartUnreadyAsync(Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var http = new Uri($"http://127.0.0.1:{FreePort()}");
        var grpc = FreePort();
        var app = CascadeHost.BuildAllInOne(
        [
            $"--urls={http}",
            $"--Grpc:Port={grpc}",
            $"--Inference:ModelDirectory={SharedAssets.ModelDirectory}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ], configure);
        await app.StartAsync();
        return new LiveCascadeHost(app, http, grpc);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
