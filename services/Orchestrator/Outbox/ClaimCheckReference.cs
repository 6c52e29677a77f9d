using MassTransit;

namespace Cascade.Orchestrator.Outbox;

/// <summary>
/// A stored claim check by its address alone: a message carrying it serializes the address, so re-sending a
/// command does not read (or store) the image again. The receiver loads the bytes from the shared store.
/// </summary>
public sealed class ClaimCheckReference(Uri address, IMessageDataRepository store) : MessageData<byte[]>
{
    private readonly Lazy<Task<byte[]>> _value = new(async () =>
    {
        await using var stream = await store.Get(address).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    });

    public Uri Address { get; } = address;
    public bool HasValue => true;
    public Task<byte[]> Value => _value.Value;
}
