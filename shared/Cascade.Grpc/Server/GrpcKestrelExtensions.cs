using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Cascade.Grpc.Server;

public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Adds the gRPC endpoint (<c>Grpc:Port</c>): HTTP/2 over cleartext with prior knowledge, or TLS with ALPN when
    /// <c>Grpc:CertificatePath</c> is set. Cleartext HTTP/2 needs an endpoint of its own, and Kestrel ignores the
    /// configured URLs once any endpoint is set in code, so those (<c>urls</c>, <c>http_ports</c>) are bound here too.
    /// </summary>
    public static WebApplicationBuilder AddGrpcEndpoint(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GrpcServerOptions.Section).Get<GrpcServerOptions>() ?? new();
        options.Validate();
        if (options.Port is not { } grpcPort) return builder;

        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        var httpPorts = builder.Configuration["http_ports"];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (!string.IsNullOrWhiteSpace(urls))
            {
                foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    Listen(kestrel, BindingAddress.Parse(url));
            }
            else if (!string.IsNullOrWhiteSpace(httpPorts))
            {
                foreach (var port in httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    kestrel.ListenAnyIP(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
            }
            else kestrel.ListenLocalhost(5000);

            kestrel.ListenAnyIP(grpcPort, listen =>
            {
                if (options.CertificatePath is { } certificate)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate, options.CertificatePassword);
                }
                else listen.Protocols = HttpProtocols.Http2;
            });
        });
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress address)
    {
        Action<ListenOptions> configure = address.Scheme == "https" ? l => l.UseHttps() : _ => { };
        if (address.Host is "localhost") kestrel.ListenLocalhost(address.Port, configure);
        else if (address.Host is "*" or "+" or "0.0.0.0" or "[::]") kestrel.ListenAnyIP(address.Port, configure);
        else kestrel.Listen(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port, configure);
    }
}
