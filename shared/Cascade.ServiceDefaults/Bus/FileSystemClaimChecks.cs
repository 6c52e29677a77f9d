namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Deletes the files of MassTransit's <c>FileSystemMessageDataRepository</c>, whose address
/// <c>urn:file:a:b:c</c> names the file <c>a/b/c</c> under its folder (a test pins that format).
/// </summary>
public sealed class FileSystemClaimChecks(DirectoryInfo folder) : IDeletableClaimChecks
{
    public bool Owns(Uri address) => PathOf(address) is not null;

    public void Delete(Uri address) =>
        File.Delete(PathOf(address) ?? throw new ArgumentException($"Not a file-system claim check address: {address}", nameof(address)));

    /// <summary>The file an address names, or null when it is not <c>urn:file:</c> with plain names (no way out of the folder).</summary>
    private string? PathOf(Uri address)
    {
        var parts = address.Scheme == "urn" ? address.Segments[0].Split(':') : [];
        if (parts.Length < 2 || parts[0] != "file" || parts.Skip(1).Any(p => p.Length == 0 || p is "." or ".." || p.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
            return null;
        return Path.Combine([folder.FullName, .. parts.Skip(1)]);
    }
}
