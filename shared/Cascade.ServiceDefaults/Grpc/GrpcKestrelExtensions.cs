using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cascade.ServiceDefaults.Grpc;

public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Adds the gRPC endpoint (<c>Grpc:Port</c>): HTTP/2 over cleartext with prior knowledge, or TLS with ALPN when
    /// <c>Grpc:CertificatePath</c> is set. Cleartext HTTP/2 needs an endpoint of its own, and Kestrel ignores the
    /// configured URLs once any endpoint is set in code, so those (<c>urls</c>, <c>http_ports</c>) are bound here
    /// too. The gRPC port listens on <c>Grpc:Host</c>, or else on the same hosts as HTTP: never wider than HTTP.
    /// </summary>
    public static WebApplicationBuilder AddGrpcEndpoint(this WebApplicationBuilder builder)
    {
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        var httpPorts = builder.Configuration["http_ports"];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Resolved here, at server start, so the settings are validated like every other option.
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
            if (options.Port is not { } grpcPort) return;

            List<string> httpHosts = [];
            if (!string.IsNullOrWhiteSpace(urls))
            {
                foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var address = BindingAddress.Parse(url);
                    Listen(kestrel, address.Host, address.Port, address.Scheme == "https" ? l => l.UseHttps() : _ => { });
                    httpHosts.Add(address.Host);
                }
            }
            else if (!string.IsNullOrWhiteSpace(httpPorts))
            {
                // ASPNETCORE_HTTP_PORTS means every interface (containers), for gRPC too.
                foreach (var port in httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    kestrel.ListenAnyIP(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
                httpHosts.Add("*");
            }
            else
            {
                kestrel.ListenLocalhost(5000);
                httpHosts.Add("localhost");
            }

            IEnumerable<string> grpcHosts = options.Host is { } host ? [host] : httpHosts.Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var grpcHost in grpcHosts)
            {
                Listen(kestrel, grpcHost, grpcPort, listen =>
                {
                    if (options.CertificatePath is { } certificate)
                    {
                        listen.Protocols = HttpProtocols.Http1AndHttp2;
                        listen.UseHttps(certificate, options.CertificatePassword);
                    }
                    else listen.Protocols = HttpProtocols.Http2;
                });
            }
        });
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (host is "localhost") kestrel.ListenLocalhost(port, configure);
        else if (host is "*" or "+" or "0.0.0.0" or "[::]" or "::") kestrel.ListenAnyIP(port, configure);
        else kestrel.Listen(IPAddress.Parse(host.Trim('[', ']')), port, configure);
    }
}
