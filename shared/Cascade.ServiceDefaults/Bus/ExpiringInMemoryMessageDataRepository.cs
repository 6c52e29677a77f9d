using System.Collections.Concurrent;
using MassTransit;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Claim checks for the in-memory transport. Unlike MassTransit's InMemoryMessageDataRepository, which keeps
/// every image for the life of the process, entries expire after their time to live, so a long-running
/// all-in-one host does not grow without bound.
/// </summary>
public sealed class ExpiringInMemoryMessageDataRepository(TimeProvider time) : IMessageDataRepository, IDeletableClaimChecks
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Uri, (byte[] Data, DateTimeOffset ExpiresAt)> _entries = new();
    private long _nextSweepTicks;

    public Task<Stream> Get(Uri address, CancellationToken cancellationToken = default) =>
        _entries.TryGetValue(address, out var entry) && entry.ExpiresAt > time.GetUtcNow()
            ? Task.FromResult<Stream>(new MemoryStream(entry.Data, writable: false))
            : Task.FromException<Stream>(new MessageDataNotFoundException(address));

    public async Task<Uri> Put(Stream stream, TimeSpan? timeToLive = default, CancellationToken cancellationToken = default)
    {
        var data = await ReadAllAsync(stream, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var address = new Uri($"urn:msgdata:{Guid.NewGuid():N}");
        _entries[address] = (data, now + (timeToLive ?? TimeSpan.FromMinutes(10)));
        SweepIfDue(now);
        return address;
    }

    /// <summary>One copy into an array of the right size when the stream knows its length.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            var data = new byte[stream.Length - stream.Position];
            await stream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
            return data;
        }
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public bool Owns(Uri address) => address.Scheme == "urn" && address.AbsolutePath.StartsWith("msgdata:", StringComparison.Ordinal);

    public void Delete(Uri address)
    {
        if (!Owns(address)) throw new ArgumentException($"Not an in-memory claim check address: {address}", nameof(address));
        _entries.TryRemove(address, out _);
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due) return;
        foreach (var (address, entry) in _entries)
            if (entry.ExpiresAt <= now) _entries.TryRemove(address, out _);
    }
}
