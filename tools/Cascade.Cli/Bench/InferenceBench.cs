using System.Collections.Concurrent;
using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Packs;
using Cascade.Inference.Pipeline;
using Cascade.LoadGenerator;

namespace Cascade.Cli.Bench;

/// <summary>
/// The inference core's benchmarks: (a) decode + preprocess alone, (b) each model alone at batch 1, 8 and 32,
/// (c) the in-process cascade, compared with the ceiling computed from (a) and (b) measured in the same run.
/// </summary>
public sealed class InferenceBench(BenchReport report, TimeSpan modelDuration, int concurrency)
{
    private static readonly int[] BatchSizes = [1, 8, 32];

    /// <summary>Runs all three parts on <paramref name="images"/>; returns the cascade's share of its ceiling.</summary>
    public async Task<double> RunAsync(string label, CascadePipeline pipeline, IReadOnlyList<byte[]> images, bool modelsToo)
    {
        var preprocess = Preprocess($"{label}: decode+preprocess", pipeline.Gate.Scorer, images);
        var gate = modelsToo ? ModelAlone(pipeline.Gate.Scorer.Pack, images[0], pipeline.Gate.Scorer.Decoder) : null;
        // A classifier on the gate's backbone runs only its head (microseconds): its part of the ceiling is nothing.
        var classifier = modelsToo && !pipeline.SharesBackbone ? ModelAlone(pipeline.Classifier.Scorer.Pack, images[0], pipeline.Classifier.Scorer.Decoder) : null;

        var (cascade, acceptedShare) = await MeasureCascadeAsync(label, pipeline, images);
        if (gate is null || (classifier is null && !pipeline.SharesBackbone)) return double.NaN;

        // Seconds per image for each part at its best batch, then the accepted share through the classifier.
        var secondsPerImage = 1 / preprocess.PerSecond + 1 / gate.Max(s => s.PerSecond) + (classifier is null ? 0 : acceptedShare / classifier.Max(s => s.PerSecond));
        var ceiling = 1 / secondsPerImage;
        var ratio = cascade.PerSecond / ceiling;
        report.Note($"{label}: gate accepted {acceptedShare:P1}; {(pipeline.SharesBackbone ? "one backbone run per image (the classifier reads the gate's outputs)" : "gate and classifier run their own models")}; " +
                    $"ceiling from parts {ceiling:0.0} images/s; cascade {cascade.PerSecond:0.0} images/s = {ratio:P0} of the ceiling (target >= 80%).");
        return ratio;
    }

    /// <summary>One pass of the in-process cascade over <paramref name="images"/>, not reported (the caller warms up).</summary>
    public async Task<LatencyStats> CascadePassAsync(CascadePipeline pipeline, IReadOnlyList<byte[]> images) =>
        (await CascadeAsync(pipeline, images)).Stats with { Name = $"in-process cascade, concurrency {concurrency}" };

    private async Task<(LatencyStats Stats, double AcceptedShare)> MeasureCascadeAsync(string label, CascadePipeline pipeline, IReadOnlyList<byte[]> images)
    {
        await JitWarmUp.RunAsync(() => CascadeAsync(pipeline, images));
        var (cascade, acceptedShare) = await CascadeAsync(pipeline, images);
        cascade = cascade with { Name = $"in-process cascade, concurrency {concurrency}" };
        report.Add(label, cascade);
        return (cascade, acceptedShare);
    }

    private LatencyStats Preprocess(string name, ModelScorer scorer, IReadOnlyList<byte[]> images)
    {
        var latencies = new ConcurrentBag<double>();
        var elapsed = Stopwatch.StartNew();
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new float[scorer.Pack.InputElements], (i, _, tensor) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var decoded = scorer.Decoder.Decode(images[i], scorer.Pack.Resize);
                scorer.Pack.Layout.Write(decoded, tensor);
            }
            catch (ImageException)
            {
                // Bad images are part of real traffic; they cost their refusal time.
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return tensor;
        }, _ => { });
        var stats = LatencyStats.From(name, images.Count, elapsed.Elapsed, latencies);
        report.Add("preprocess", stats);
        return stats;
    }

    private List<LatencyStats> ModelAlone(ModelPack pack, byte[] sample, ImageDecoder decoder)
    {
        var one = new float[pack.InputElements];
        using (var decoded = decoder.Decode(sample, pack.Resize)) pack.Layout.Write(decoded, one);
        var results = new List<LatencyStats>();
        foreach (var batch in BatchSizes.Where(b => b <= pack.MaxBatch))
        {
            var input = new float[batch * pack.InputElements];
            for (var i = 0; i < batch; i++) one.CopyTo(input, i * pack.InputElements);
            var output = new float[batch * pack.OutputSize];
            pack.Run(input, batch, output); // warm-up
            var latencies = new List<double>();
            var elapsed = Stopwatch.StartNew();
            while (elapsed.Elapsed < modelDuration)
            {
                var started = Stopwatch.GetTimestamp();
                pack.Run(input, batch, output);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var stats = LatencyStats.From($"{pack.Manifest.Name} batch {batch}", latencies.Count * batch, elapsed.Elapsed, latencies);
            report.Add("model alone", stats);
            results.Add(stats);
        }
        return results;
    }

    private async Task<(LatencyStats Stats, double AcceptedShare)> CascadeAsync(CascadePipeline pipeline, IReadOnlyList<byte[]> images)
    {
        var pass = await InProcessCascadeLoad.RunAsync(pipeline, images, concurrency);
        return (LatencyStats.From("cascade", pass.Images, pass.Elapsed, pass.LatenciesMs), pass.AcceptedShare);
    }

    /// <summary>Large-photo inputs: <paramref name="count"/> photos upscaled to about <paramref name="megapixels"/> MP JPEGs.</summary>
    public static IReadOnlyList<byte[]> Upscaled(IReadOnlyList<byte[]> photos, int count, double megapixels)
    {
        var height = (int)Math.Sqrt(megapixels * 1e6 * 3 / 4);
        var width = height * 4 / 3;
        return photos.Take(count).AsParallel().AsOrdered().Select(p => ImageEncoder.ResizeToJpeg(p, width, height)).ToList();
    }
}
