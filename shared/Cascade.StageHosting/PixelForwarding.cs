using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Cascade.StageHosting;

/// <summary>
/// The gate's decode, handed to the classifier through the claim-check store (<see cref="DecodedPixels"/>), so an
/// accepted image is decoded once. The original image stays the source of truth: whenever the forwarded pixels
/// are missing, used already (a redelivery), resized otherwise or malformed, the classifier decodes the image.
/// </summary>
public sealed class PixelForwarding(IMessageDataRepository repository, IDeletableClaimChecks claimChecks, BusOptions bus, ILogger<PixelForwarding> logger)
{
    public async Task<DecodedPixels> PutAsync(DecodedImage image, ResizeSpec resize, CancellationToken cancellationToken)
    {
        await using var pixels = image.OpenRead();
        var address = await repository.Put(pixels, bus.MessageData.TimeToLive, cancellationToken).ConfigureAwait(false);
        return new DecodedPixels { Address = address, Width = image.Width, Height = image.Height, Resize = resize.ToString() };
    }

    /// <summary>Deletes forwarded pixels that will not be used.</summary>
    public void Discard(DecodedPixels? pixels)
    {
        if (pixels is not null) claimChecks.DeleteIfOwned(pixels.Address);
    }

    /// <summary>The forwarded decode when it fits <paramref name="resize"/>, else null. Deletes it from the store: it is used once.</summary>
    public async Task<DecodedImage?> TakeAsync(DecodedPixels? pixels, ResizeSpec resize, CancellationToken cancellationToken)
    {
        if (pixels is null || pixels.Resize != resize.ToString()) return null;
        var address = pixels.Address;
        if (!claimChecks.Owns(address))
        {
            logger.LogWarning("Forwarded pixels have a foreign address {Address}; decoding the image", address);
            return null;
        }
        try
        {
            // Straight from the store into a pooled buffer: no 200 KB array per image for the garbage collector.
            await using var stream = await repository.Get(address, cancellationToken).ConfigureAwait(false);
            return await DecodedImage.ReadRgbAsync(stream, pixels.Width, pixels.Height, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MessageDataException or IOException)
        {
            logger.LogDebug(e, "Forwarded pixels {Address} are gone; decoding the image", address);
            return null;
        }
        catch (InvalidDataException e)
        {
            logger.LogWarning("Forwarded pixels {Address} are malformed ({Reason}); decoding the image", address, e.Message);
            return null;
        }
        finally
        {
            claimChecks.Delete(address);
        }
    }
}
