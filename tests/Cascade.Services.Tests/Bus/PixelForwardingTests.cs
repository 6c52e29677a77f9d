using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.ServiceDefaults.Bus;
using Cascade.StageHosting;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Services.Tests.Bus;

public sealed class PixelForwardingTests
{
    private static readonly ResizeSpec Resize = ResizeSpec.ImageNet;
    private readonly ExpiringInMemoryMessageDataRepository _repository = new(TimeProvider.System);
    private readonly PixelForwarding _forwarding;

    public PixelForwardingTests() => _forwarding = new PixelForwarding(_repository, _repository, new BusOptions(), NullLogger<PixelForwarding>.Instance);

    [Fact]
    public async Task The_classifier_gets_the_gates_pixels_once()
    {
        using var image = DecodedImage.FromRgb(Enumerable.Range(0, 4 * 3 * 3).Select(i => (byte)i).ToArray(), 4, 3);

        var pixels = await _forwarding.PutAsync(image, Resize, CancellationToken.None);
        using var taken = await _forwarding.TakeAsync(pixels, Resize, CancellationToken.None);

        pixels.Resize.Should().Be("short-side 256, crop 224x224");
        taken!.Width.Should().Be(4);
        taken.Height.Should().Be(3);
        taken.Pixels.ToArray().Should().Equal(image.Pixels.ToArray());
        await FluentActions.Awaiting(() => _repository.Get(pixels.Address)).Should().ThrowAsync<MessageDataNotFoundException>("pixels are deleted once read");
    }

    [Fact]
    public async Task Pixels_that_do_not_fit_or_are_gone_mean_decoding_the_image()
    {
        using var image = DecodedImage.FromRgb(new byte[2 * 2 * 3], 2, 2);
        var pixels = await _forwarding.PutAsync(image, Resize, CancellationToken.None);

        (await _forwarding.TakeAsync(null, Resize, CancellationToken.None)).Should().BeNull();
        (await _forwarding.TakeAsync(pixels, Resize with { ShortSide = 288 }, CancellationToken.None)).Should().BeNull("resized otherwise");
        (await _forwarding.TakeAsync(pixels with { Width = 3 }, Resize, CancellationToken.None)).Should().BeNull("3x2 is not 12 bytes");
        (await _forwarding.TakeAsync(pixels, Resize, CancellationToken.None)).Should().BeNull("a redelivery finds them used");

        (await _forwarding.TakeAsync(pixels with { Address = new Uri("urn:file:etc:passwd") }, Resize, CancellationToken.None)).Should().BeNull("not this store's");

        var another = await _forwarding.PutAsync(image, Resize, CancellationToken.None);
        (await _forwarding.TakeAsync(another with { Height = -2 }, Resize, CancellationToken.None)).Should().BeNull();
    }
}
