using System.Reflection;

namespace Cascade.Orchestrator.Extensions;

/// <summary>The try-it page at <c>/</c>: three files embedded in this assembly, so it works in every host (all-in-one included).</summary>
public static class WebPageEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapWebPage(this IEndpointRouteBuilder app)
    {
        var assembly = typeof(WebPageEndpoints).Assembly;
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(assembly, resource);
            app.MapGet(path, () => Results.Bytes(bytes, contentType));
        }
        return app;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"Cascade.Orchestrator.Web.{name}")
            ?? throw new InvalidOperationException($"Embedded web file {name} is missing from {assembly.GetName().Name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
