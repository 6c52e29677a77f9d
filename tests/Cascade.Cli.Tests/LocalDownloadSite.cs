using System.Collections.Concurrent;
using System.Net;
using Cascade.Inference.Packs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Cli.Tests;

/// <summary>
/// The download sites of the pack catalog, served over real HTTP on 127.0.0.1 from ../shared/models, laid out as
/// <c>--download-mirror</c> expects (<c>/host/path</c>): each manifest's <c>model.url</c> and
/// <c>model.derivedFrom.url</c> answers with the file its <c>mirrorFileName</c> names, everything else 404.
/// So <c>cascade models pull</c> takes its online path, byte for byte the files users download, with no internet.
/// </summary>
public sealed class LocalDownloadSite : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, string> files;

    private LocalDownloadSite(WebApplication app, Dictionary<string, string> files)
    {
        this.app = app;
        this.files = files;
    }

    /// <summary>Paths requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string MirrorUrl => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>Serves the catalog's files; <paramref name="replace"/> maps a served file name to another, to tamper with a download.</summary>
    public static async Task<LocalDownloadSite> StartAsync(string catalog, string folder, IReadOnlyDictionary<string, string>? replace = null)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        void Serve(string? url, string? fileName)
        {
            if (url is null || fileName is null) return;
            var uri = new Uri(url);
            files[$"/{uri.Authority}{uri.AbsolutePath}"] = Path.Combine(folder, replace?.GetValueOrDefault(fileName) ?? fileName);
        }
        // A head pack without a model of its own has nothing to serve.
        foreach (var model in PackPuller.ReadCatalog(catalog).Select(p => p.Manifest.Model).OfType<ModelSource>())
        {
            Serve(model.Url, model.MirrorFileName);
            Serve(model.DerivedFrom?.Url, model.DerivedFrom?.MirrorFileName);
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var site = new LocalDownloadSite(app, files);
        app.MapGet("/{**path}", (HttpContext context) =>
        {
            var path = context.Request.Path.Value ?? "";
            site.Requests.Enqueue(path);
            return site.files.TryGetValue(path, out var file) ? Results.File(file, "application/octet-stream") : Results.StatusCode((int)HttpStatusCode.NotFound);
        });
        await app.StartAsync();
        return site;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
