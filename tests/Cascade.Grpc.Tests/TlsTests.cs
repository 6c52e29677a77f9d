using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Cascade.Grpc.Tests;

/// <summary>With Grpc:CertificatePath set, the gRPC endpoint speaks TLS (HTTP/2 by ALPN).</summary>
public class TlsTests
{
    [Fact]
    public async Task Health_check_over_tls_with_a_configured_certificate()
    {
        using var certificate = SelfSigned();
        var folder = Directory.CreateTempSubdirectory("cascade-tls-").FullName;
        try
        {
            var pfx = Path.Combine(folder, "server.pfx");
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test"));
            await using var host = await LiveCascadeHost.StartAsync($"--Grpc:CertificatePath={pfx}", "--Grpc:CertificatePassword=test");

            var trusted = certificate.GetCertHashString();
            var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == trusted } };
            using var tls = GrpcChannel.ForAddress($"https://localhost:{host.GrpcPort}", new GrpcChannelOptions { HttpHandler = handler });
            var response = await new Health.HealthClient(tls).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
            response.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);

            using var plaintext = GrpcChannel.ForAddress(host.GrpcAddress);
            var cleartext = async () => await new Health.HealthClient(plaintext).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
            await cleartext.Should().ThrowAsync<Exception>("the endpoint no longer accepts cleartext HTTP/2");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
