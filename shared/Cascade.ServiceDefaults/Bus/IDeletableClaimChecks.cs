namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Deletes a claim check before its time to live runs out. MassTransit's repositories can only let data expire;
/// data that is used once (the gate's forwarded pixels) is deleted as soon as it is read.
/// </summary>
public interface IDeletableClaimChecks
{
    /// <summary>Whether <paramref name="address"/> is one this store hands out (addresses come in messages: check before use).</summary>
    bool Owns(Uri address);

    /// <summary>Deletes the data at <paramref name="address"/>; nothing happens when it is gone already.</summary>
    /// <exception cref="ArgumentException">Not an address of this store.</exception>
    void Delete(Uri address);
}

public static class DeletableClaimChecksExtensions
{
    /// <summary>Deletes <paramref name="address"/> if this store owns it (see <see cref="IDeletableClaimChecks.Owns"/>).</summary>
    public static void DeleteIfOwned(this IDeletableClaimChecks store, Uri address)
    {
        if (store.Owns(address)) store.Delete(address);
    }
}
