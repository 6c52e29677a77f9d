using System.Net;
using System.Net.Sockets;
using Cascade.AllInOne;
using Cascade.ServiceDefaults;
using Microsoft.AspNetCore.Builder;

namespace Cascade.Web.Tests;

/// <summary>The all-in-one stack on real Kestrel (in-memory bus, real models) for the browser and REST tests.</summary>
public sealed class WebHostFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri Address { get; } = new($"http://127.0.0.1:{FreePort()}");
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = CascadeHost.BuildAllInOne(
        [
            $"--urls={Address}",
            $"--Inference:ModelDirectory={SharedAssets.ModelDirectory}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        await _app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
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
public sealed class WebHostCollection : ICollectionFixture<WebHostFixture>
{
    public const string Name = "web host";
}
