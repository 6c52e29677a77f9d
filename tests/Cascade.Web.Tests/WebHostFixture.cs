namespace Cascade.Web.Tests;

/// <summary>The live all-in-one stack for the browser and REST tests.</summary>
public sealed class WebHostFixture : IAsyncLifetime
{
    private LiveCascadeHost? _host;

    public Uri Address => _host!.HttpAddress;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await LiveCascadeHost.StartAsync();
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebHostCollection : ICollectionFixture<WebHostFixture>
{
    public const string Name = "web host";
}
