using Cascade.Imaging;
using Cascade.Training.Embeddings;

namespace Cascade.Training.Tests;

public class AugmentationViewTests
{
    [Fact]
    public void Centre_view_is_the_services_preprocessing_and_augmented_views_are_deterministic()
    {
        var layout = BackboneSpec.MobileNetV2("unused").Input.ToTensorLayout();
        var rgb = new byte[257 * 300 * 3];
        new Random(5).NextBytes(rgb);
        using var image = DecodedImage.FromRgb(rgb, 257, 300);

        var expected = new float[layout.ElementCount];
        layout.Write(image, expected);
        var centre = new float[layout.ElementCount];
        AugmentationView.Centre(256).Write(image, layout, centre);
        centre.Should().Equal(expected);

        var options = new AugmentationOptions();
        var a = AugmentationView.Create("abc", 1, 256, options);
        a.Should().Be(AugmentationView.Create("abc", 1, 256, options));
        a.Mirror.Should().BeTrue();
        AugmentationView.Create("abc", 2, 256, options).ShortSide.Should().Be(options.ZoomShortSide);
        a.Key.Should().NotBe(AugmentationView.Create("abc", 1, 256, options with { MaxContrast = 0.3f }).Key);

        // A mirrored view without colour change is the unmirrored window read right to left.
        var flip = a with { Contrast = 1, Brightness = 0 };
        var flipped = new float[layout.ElementCount];
        flip.Write(image, layout, flipped);
        var straight = new float[layout.ElementCount];
        (flip with { Mirror = false }).Write(image, layout, straight);
        for (var x = 0; x < 224; x++) flipped[5 * 224 + x].Should().Be(straight[5 * 224 + 223 - x]);

        // Contrast k around mid-grey and brightness b: pixel p becomes k(p - 127.5) + 127.5 + 255b before normalisation.
        var shifted = new float[layout.ElementCount];
        (flip with { Mirror = false, Contrast = 1.1f, Brightness = 0.05f }).Write(image, layout, shifted);
        var p = straight[0] * layout.Std[0] / layout.Scale + layout.Mean[0] / layout.Scale;
        var q = 1.1f * (p - 127.5f) + 127.5f + 0.05f * 255;
        shifted[0].Should().BeApproximately((q * layout.Scale - layout.Mean[0]) / layout.Std[0], 1e-4f);
    }
}
