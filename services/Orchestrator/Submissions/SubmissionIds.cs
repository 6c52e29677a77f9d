using System.Security.Cryptography;
using System.Text;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// Submission ids. A client request id always maps to the same submission id (a name-based UUID), which makes
/// resubmitting it idempotent even across orchestrator restarts.
/// </summary>
public static class SubmissionIds
{
    private static readonly byte[] Namespace = Guid.Parse("5b1c7a1e-3f39-4f0e-9b8e-6c0b9a0d2c11").ToByteArray();

    public static Guid For(string? clientRequestId)
    {
        if (string.IsNullOrEmpty(clientRequestId)) return Guid.CreateVersion7();
        var hash = SHA256.HashData([.. Namespace, .. Encoding.UTF8.GetBytes(clientRequestId)]);
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style name-based id (SHA-256 instead of SHA-1)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
