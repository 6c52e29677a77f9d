using Cascade.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Cascade.Inference.Tests;

/// <summary>
/// <c>Inference:ExactInt8 = auto</c> must give the exact kernels' answers on whatever CPU runs the tests: on CPUs without
/// VNNI by choosing the exact kernels, on CPUs with VNNI because the fast ones are exact there.
/// </summary>
public class Int8KernelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Auto_kernels_score_the_int8_gate_as_the_exact_kernels_do()
    {
        output.WriteLine($"CPU has VNNI: {Int8Kernels.CpuHasVnni}; auto uses the {(Int8Kernels.UseExact(ExactInt8Mode.Auto) ? "exact" : "fast")} kernels");
        var photos = SharedAssets.Photos("bears").Take(24).Concat(SharedAssets.Photos("negatives").Take(24)).ToList();
        var exact = await GateScoresAsync(ExactInt8Mode.True, photos);
        var auto = await GateScoresAsync(ExactInt8Mode.Auto, photos);

        for (var i = 0; i < photos.Count; i++) auto[i].Should().BeApproximately(exact[i], 1e-4f, Path.GetFileName(photos[i]));
    }

    private static async Task<float[]> GateScoresAsync(ExactInt8Mode mode, IReadOnlyList<string> photos)
    {
        var store = new Packs.ModelStore(new InferenceOptions { ModelDirectory = SharedAssets.ModelDirectory, IntraOpThreads = 2, ExactInt8 = mode }, NullLoggerFactory.Instance);
        await using var gate = store.CreateGate(ReferencePacksFixture.Gate);
        var scores = new float[photos.Count];
        for (var i = 0; i < photos.Count; i++) scores[i] = (await gate.RunAsync(await File.ReadAllBytesAsync(photos[i]))).Decision.Score;
        return scores;
    }
}
