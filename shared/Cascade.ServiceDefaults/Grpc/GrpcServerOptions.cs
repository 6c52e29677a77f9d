using System.ComponentModel.DataAnnotations;

namespace Cascade.ServiceDefaults.Grpc;

/// <summary>Settings section <c>Grpc</c>: the gRPC endpoint of every service.</summary>
public sealed class GrpcServerOptions : IValidatableObject
{
    public const string Section = "Grpc";

    /// <summary>Port of the HTTP/2 endpoint for gRPC (cleartext with prior knowledge, or TLS); null: no gRPC endpoint.</summary>
    [Range(0, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// Interface the gRPC port listens on (<c>127.0.0.1</c>, <c>localhost</c>, <c>*</c> for all). Unset: the host(s)
    /// of the HTTP URLs, so a service bound to loopback for HTTP is not reachable from outside over gRPC either.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>PFX certificate: with it the gRPC endpoint uses TLS (HTTP/2 over ALPN).</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    /// <summary>Largest request message accepted; larger ones end with RESOURCE_EXHAUSTED.</summary>
    [Range(1, int.MaxValue)]
    public int MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest response message sent.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSendMessageSize { get; set; } = 16 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host is not (null or "localhost" or "*") && !System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out _))
            yield return new ValidationResult($"{Section}:Host must be localhost, * or an IP address, was '{Host}'.", [nameof(Host)]);
        if (CertificatePath is not null && !File.Exists(CertificatePath))
            yield return new ValidationResult($"{Section}:CertificatePath {CertificatePath} does not exist.", [nameof(CertificatePath)]);
    }
}
