using Cascade.Contracts;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;
using Cascade.ServiceDefaults.Bus;
using Cascade.Services.Tests.Fixtures;
using Cascade.StageHosting;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Services.Tests.Bus;

public sealed class StageForwardingTests
{
    private static readonly ResizeSpec Resize = ResizeSpec.ImageNet;
    private readonly ExpiringInMemoryMessageDataRepository _repository = new(TimeProvider.System);
    private readonly StageForwarding _forwarding;

    public StageForwardingTests() => _forwarding = new StageForwarding(_repository, _repository, new BusOptions(), NullLogger<StageForwarding>.Instance);

    [Fact]
    public async Task The_classifier_gets_the_gates_pixels_once()
    {
        using var image = DecodedImage.FromRgb(Enumerable.Range(0, 4 * 3 * 3).Select(i => (byte)i).ToArray(), 4, 3);

        var pixels = await _forwarding.PutPixelsAsync(image, Resize, CancellationToken.None);
        using var taken = await _forwarding.TakePixelsAsync(pixels, Resize, CancellationToken.None);

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
        var pixels = await _forwarding.PutPixelsAsync(image, Resize, CancellationToken.None);

        (await _forwarding.TakePixelsAsync(null, Resize, CancellationToken.None)).Should().BeNull();
        (await _forwarding.TakePixelsAsync(pixels, Resize with { ShortSide = 288 }, CancellationToken.None)).Should().BeNull("resized otherwise");
        (await _forwarding.TakePixelsAsync(pixels with { Width = 3 }, Resize, CancellationToken.None)).Should().BeNull("3x2 is not 12 bytes");
        (await _forwarding.TakePixelsAsync(pixels, Resize, CancellationToken.None)).Should().BeNull("a redelivery finds them used");

        (await _forwarding.TakePixelsAsync(pixels with { Address = new Uri("urn:file:etc:passwd") }, Resize, CancellationToken.None)).Should().BeNull("not this store's");

        var another = await _forwarding.PutPixelsAsync(image, Resize, CancellationToken.None);
        (await _forwarding.TakePixelsAsync(another with { Height = -2 }, Resize, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task The_classifier_head_on_the_gates_forwarded_outputs_scores_as_the_classifier_on_the_image()
    {
        // As in the services: the gate and the classifier each load their own copy of the one model.
        var store = SharedAssets.Store();
        await using var gate = store.CreateGate("gate-mobilenetv2-int8");
        await using var classifier = store.CreateClassifier("classifier-mobilenetv2-int8-head");
        var photo = TestImages.Grizzly(2);

        var (_, gateOutputs) = await gate.RunKeepingOutputsAsync(photo);
        var row = StageForwarding.ToRow(gateOutputs);
        var outputs = _forwarding.ReadBackbone(row, classifier.Scorer.Pack);
        var fromRow = classifier.Run(outputs!);
        var fromImage = await classifier.RunAsync(photo);

        row.Layout.Should().Be("output:1000", "the int8 gate is a whole pack: its one output, the ImageNet logits");
        row.Values.Should().HaveCount(1000 * sizeof(float), "the ImageNet logits, not a 150 KB image");
        row.ModelSha256.Should().Be(classifier.Scorer.Pack.Sha256);
        outputs!.Row.Should().Equal(gateOutputs.Row, "float32 travels exactly");
        fromRow.Decision.Label.Should().Be(fromImage.Decision.Label).And.Be("grizzly");
        fromRow.Decision.Scores.Select(s => s.Score).Should().Equal(fromImage.Decision.Scores.Select(s => s.Score), (a, b) => Math.Abs(a - b) < 1e-4);
        fromRow.Timing.BatchSize.Should().Be(0, "the head alone ran");
        fromImage.Timing.BatchSize.Should().BePositive();
    }

    [Fact]
    public async Task A_row_of_another_model_layout_or_length_or_with_a_non_finite_value_means_running_the_backbone()
    {
        var store = SharedAssets.Store();
        await using var gate = store.CreateGate("gate-mobilenetv2-int8");
        var backbone = gate.Scorer.Pack;
        var (_, outputs) = await gate.RunKeepingOutputsAsync(TestImages.Teddy());
        var row = StageForwarding.ToRow(outputs);
        var nan = row.Values.ToArray();
        BitConverter.GetBytes(float.NaN).CopyTo(nan, 400);

        _forwarding.ReadBackbone(row, backbone).Should().NotBeNull("the row is this backbone's");
        _forwarding.ReadBackbone(row with { ModelSha256 = row.ModelSha256.ToUpperInvariant() }, backbone).Should().NotBeNull("sha256 hex in either case");
        _forwarding.ReadBackbone(null, backbone).Should().BeNull();
        _forwarding.ReadBackbone(row with { ModelSha256 = new string('0', 64) }, backbone).Should().BeNull("another model");
        _forwarding.ReadBackbone(row with { Layout = "embedding:1000" }, backbone).Should().BeNull("another tensor");
        _forwarding.ReadBackbone(row with { Values = row.Values[..^4] }, backbone).Should().BeNull("one value short");
        _forwarding.ReadBackbone(row with { Values = [.. row.Values, 0, 0, 0, 0] }, backbone).Should().BeNull("one value too many");
        _forwarding.ReadBackbone(row with { Values = null! }, backbone).Should().BeNull("no values");
        _forwarding.ReadBackbone(row with { Values = nan }, backbone).Should().BeNull("NaN at value 100");
    }
}
