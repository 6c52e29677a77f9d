using MassTransit;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Claim checks as files in a folder every service shares (a volume), for RabbitMQ deployments. Addresses are
/// those of MassTransit's <c>FileSystemMessageDataRepository</c> (<c>urn:file:yyyy:MM:dd:HH:mm:id</c>, the file
/// <c>yyyy/MM/dd/HH/mm/id</c>), so either can read the other's. Unlike it, this one can delete, and writes in
/// one synchronous call: its async writes in 4 KB pieces cost a thread-pool hop each, 64 for one decoded image.
/// Expired files are removed by the orchestrator's ClaimCheckJanitor.
/// </summary>
public sealed class FileSystemClaimCheckRepository(DirectoryInfo folder) : IMessageDataRepository, IDeletableClaimChecks
{
    public async Task<Uri> Put(Stream stream, TimeSpan? timeToLive = default, CancellationToken cancellationToken = default)
    {
        string[] parts = [.. DateTime.UtcNow.ToString("yyyy:MM:dd:HH:mm").Split(':'), Guid.NewGuid().ToString("N")];
        var path = Path.Combine([folder.FullName, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            // Images and pixels arrive in memory: copying them is one write into the page cache.
            if (stream is MemoryStream) stream.CopyTo(file);
            else await stream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }
        return new Uri("urn:file:" + string.Join(':', parts));
    }

    public Task<Stream> Get(Uri address, CancellationToken cancellationToken = default)
    {
        var path = PathOf(address) ?? throw new ArgumentException($"Not a file-system claim check address: {address}", nameof(address));
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0));
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromException<Stream>(new MessageDataNotFoundException(address));
        }
    }

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
