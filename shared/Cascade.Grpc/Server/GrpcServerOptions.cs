namespace Cascade.Grpc.Server;

/// <summary>Settings section <c>Grpc</c>.</summary>
public sealed record GrpcServerOptions
{
    public const string Section = "Grpc";

    /// <summary>Port of the HTTP/2 endpoint for gRPC (cleartext, prior knowledge); null disables it.</summary>
    public int? Port { get; init; }
    /// <summary>PFX certificate: with it the gRPC endpoint uses TLS (HTTP/2 over ALPN).</summary>
    public string? CertificatePath { get; init; }
    public string? CertificatePassword { get; init; }
    /// <summary>Largest request message accepted; larger ones end with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = 16 * 1024 * 1024;

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"{Section}:Port must be 0..65535, was {Port}.");
        if (MaxReceiveMessageSize < 1) throw new ArgumentException($"{Section}:MaxReceiveMessageSize must be positive, was {MaxReceiveMessageSize}.");
        if (CertificatePath is not null && !File.Exists(CertificatePath)) throw new ArgumentException($"{Section}:CertificatePath {CertificatePath} does not exist.");
    }
}
