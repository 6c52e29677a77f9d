using BenchmarkDotNet.Attributes;
using Cascade.Imaging;

namespace Cascade.Benchmarks;

/// <summary>Where preprocessing time goes: libvips decode+resize, and the managed tensor write.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PreprocessBenchmarks
{
    private static readonly TensorLayout MobileNet = new(224, 224, ColorOrder.Rgb, 1f / 255, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
    private readonly ImageDecoder _decoder = new();
    private readonly float[] _tensor = new float[MobileNet.ElementCount];
    private byte[] _photo = [];
    private byte[] _large = [];
    private DecodedImage _decoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(FindShared(), "data", "bears", "grizzly");
        _photo = File.ReadAllBytes(Directory.GetFiles(folder, "*.jpg").Order().First());
        _large = ImageEncoder.ResizeToJpeg(_photo, 4000, 3000);
        _decoded = _decoder.Decode(_photo, ResizeSpec.ImageNet);
    }

    [GlobalCleanup]
    public void Cleanup() => _decoded.Dispose();

    [Benchmark(Description = "decode+resize 320px JPEG")]
    public int DecodeSmall()
    {
        using var image = _decoder.Decode(_photo, ResizeSpec.ImageNet);
        return image.Width;
    }

    [Benchmark(Description = "decode+resize 12 MP JPEG")]
    public int DecodeLarge()
    {
        using var image = _decoder.Decode(_large, ResizeSpec.ImageNet);
        return image.Width;
    }

    [Benchmark(Description = "tensor write 224x224")]
    public float WriteTensor()
    {
        MobileNet.Write(_decoded, _tensor);
        return _tensor[0];
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "data"))) return Path.Combine(dir.FullName, "shared");
        throw new DirectoryNotFoundException("../shared/data not found above the benchmark binaries.");
    }
}
