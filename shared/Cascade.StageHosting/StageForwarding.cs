using System.Buffers.Binary;
using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.Inference.Packs;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Cascade.StageHosting;

/// <summary>
/// What the gate hands the classifier besides the image, so an accepted image costs one decode and, when both stages run
/// the same backbone, one backbone run:
/// <list type="bullet">
/// <item>its backbone outputs, inline in the message (<see cref="BackboneRow"/>): a classifier whose head reads exactly that
/// backbone (model sha256 and output layout) runs only its head;</item>
/// <item>its decode, through the claim-check store (<see cref="DecodedPixels"/>): a classifier on another backbone that
/// resizes the same way need not decode again.</item>
/// </list>
/// The original image stays the source of truth: whenever what was forwarded is missing, used already (a redelivery), of
/// another model, resized otherwise or malformed, the classifier runs on the image.
/// </summary>
public sealed class StageForwarding(IMessageDataRepository repository, IDeletableClaimChecks claimChecks, BusOptions bus, ILogger<StageForwarding> logger)
{
    public async Task<DecodedPixels> PutPixelsAsync(DecodedImage image, ResizeSpec resize, CancellationToken cancellationToken)
    {
        await using var pixels = image.OpenRead();
        var address = await repository.Put(pixels, bus.MessageData.TimeToLive, cancellationToken).ConfigureAwait(false);
        return new DecodedPixels { Address = address, Width = image.Width, Height = image.Height, Resize = resize.ToString() };
    }

    /// <summary>Deletes forwarded pixels that will not be used.</summary>
    public void DiscardPixels(DecodedPixels? pixels)
    {
        if (pixels is not null) claimChecks.DeleteIfOwned(pixels.Address);
    }

    /// <summary>The forwarded decode when it fits <paramref name="resize"/>, else null. Deletes it from the store: it is used once.</summary>
    public async Task<DecodedImage?> TakePixelsAsync(DecodedPixels? pixels, ResizeSpec resize, CancellationToken cancellationToken)
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

    public static BackboneRow ToRow(BackboneOutputs outputs)
    {
        var values = new byte[outputs.Row.Length * sizeof(float)];
        for (var i = 0; i < outputs.Row.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(values.AsSpan(i * sizeof(float)), outputs.Row[i]);
        return new BackboneRow { ModelSha256 = outputs.Backbone.Sha256, Layout = outputs.Backbone.OutputLayout, Values = values };
    }

    /// <summary>The row as outputs of <paramref name="backbone"/>, or null when it is absent or not exactly that backbone's (logged).</summary>
    public BackboneOutputs? ReadBackbone(BackboneRow? row, ModelPack backbone)
    {
        if (row is null) return null;
        if (!string.Equals(row.ModelSha256, backbone.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            // Expected when the classifier's head is on another backbone than the gate's.
            logger.LogDebug("Forwarded backbone outputs are of model {Sha256}, not of {Backbone}; running the backbone", row.ModelSha256, backbone.DisplayName);
            return null;
        }
        var layout = backbone.OutputLayout;
        var expectedBytes = backbone.OutputSize * sizeof(float);
        if (row.Layout != layout || row.Values is null || row.Values.Length != expectedBytes)
        {
            logger.LogWarning("Forwarded backbone outputs do not fit {Backbone}: layout '{Layout}' and {Bytes} bytes where '{Expected}' and {ExpectedBytes} bytes are expected; running the backbone",
                backbone.DisplayName, row.Layout, row.Values?.Length, layout, expectedBytes);
            return null;
        }
        var values = new float[backbone.OutputSize];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(row.Values.AsSpan(i * sizeof(float)));
            if (!float.IsFinite(values[i]))
            {
                logger.LogWarning("Forwarded backbone outputs of {Backbone} hold a non-finite value at {Index}; running the backbone", backbone.DisplayName, i);
                return null;
            }
        }
        return new BackboneOutputs(backbone, values);
    }
}
