using Cascade.Inference.Decisions;
using Cascade.PeerBenchmarks.Comparison;
using Cascade.PeerBenchmarks.Decisions;
using Cascade.PeerBenchmarks.MlNet;
using Cascade.PeerBenchmarks.Output;
using Cascade.PeerBenchmarks.Packs;
using Cascade.PeerBenchmarks.PlainLoop;
using Xunit.Abstractions;

namespace Cascade.PeerBenchmarks.Tests;

/// <summary>
/// The peer comparison (scripts/peers.sh) is fair only if the peers do cascade's job: same models, preprocessing and
/// decision rule. So their verdicts must agree with the in-process cascade's on real photos, within what the resizers
/// alone explain. The bounds were set on ../shared/data/bears/teddy before these photos were scored: there ML.NET
/// agreed on 99.7% of 334 outcomes and the plain loop on 98.8%, mean gate-score difference 0.035 for both (each enlarges
/// small photos with another filter than cascade's bilinear one, and the int8 gate is sensitive to that).
/// </summary>
public class PeerAgreementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PhotosPerFolder = 8;
    /// <summary>Of the 24 photos: up to 3 outcomes may differ (12.5%, against 0.3-1.2% on the teddy folder).</summary>
    private const int MinAgreeing = 21;
    /// <summary>About three times the teddy folder's; a channel swap, a missing normalization or an off-centre crop moves scores far more.</summary>
    private const double MaxMeanGateDifference = 0.1;

    private static readonly string[] Folders = ["bears/black", "bears/grizzly", "negatives"];

    private readonly IReadOnlyList<string> _photos = Folders.SelectMany(f => SharedAssets.Photos(f).Take(PhotosPerFolder)).ToList();
    private readonly PeerPack _gate = PeerPack.Load(Path.Combine(SharedAssets.Packs, "gate-mobilenetv2-int8"), SharedAssets.Models);
    private readonly PeerPack _classifier = PeerPack.Load(Path.Combine(SharedAssets.Packs, "classifier-mobilenetv2-fp32"), SharedAssets.Models);
    private IReadOnlyList<VerdictLine> _cascade = [];

    public async Task InitializeAsync()
    {
        await using var pipeline = SharedAssets.Store().CreatePipeline(_gate.Manifest.Name, _classifier.Manifest.Name);
        var lines = new List<VerdictLine>();
        foreach (var photo in _photos)
        {
            var result = await pipeline.RunAsync(await File.ReadAllBytesAsync(photo));
            var score = result.Gate.Decision.Score;
            lines.Add(result.Verdict switch
            {
                Verdict.Label => VerdictLine.Labelled(photo, score, result.Label!),
                Verdict.Unknown => VerdictLine.Unknown(photo, score),
                _ => VerdictLine.NoObject(photo, score),
            });
        }
        _cascade = lines;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void MlNet_pipeline_agrees_with_cascade()
    {
        using var mlnet = new MlNetCascade(_gate, _classifier, new CascadeRule(_gate, _classifier));
        ShouldAgree("mlnet", _photos.Select(mlnet.Classify).ToList());
    }

    [Fact]
    public void Plain_loop_agrees_with_cascade()
    {
        using var plain = new PlainLoopCascade(_gate, _classifier, new CascadeRule(_gate, _classifier));
        ShouldAgree("plain", plain.Classify(_photos).ToList());
    }

    private void ShouldAgree(string peer, IReadOnlyList<VerdictLine> lines)
    {
        var comparison = VerdictComparison.Of(_cascade, lines);
        foreach (var line in comparison.Report(peer)) output.WriteLine(line);
        comparison.Images.Should().Be(_photos.Count, "every photo gets a line from both");
        comparison.Agreeing.Should().BeGreaterThanOrEqualTo(MinAgreeing);
        comparison.MeanGateDifference.Should().BeLessThanOrEqualTo(MaxMeanGateDifference);
    }
}
