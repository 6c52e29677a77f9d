using Cascade.AllInOne;
using Cascade.Inference;
using Cascade.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>One running service process (any mix of roles) on a test server, with the test model directory.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static Task<ServiceHost> StartAsync(CascadeRoles roles, IDictionary<string, string?> settings) =>
        StartAsync(configure => CascadeHost.Build([], roles, configure), settings);

    /// <summary>The embedded stack exactly as <c>cascade serve</c> builds it (in-memory transport by default).</summary>
    public static Task<ServiceHost> StartAllInOneAsync() =>
        StartAsync(configure => CascadeHost.BuildAllInOne([], configure), new Dictionary<string, string?>());

    private static async Task<ServiceHost> StartAsync(Func<Action<WebApplicationBuilder>, WebApplication> build, IDictionary<string, string?> settings)
    {
        var app = build(builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{InferenceOptions.Section}:ModelDirectory"] = SharedAssets.ModelDirectory,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return new ServiceHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
