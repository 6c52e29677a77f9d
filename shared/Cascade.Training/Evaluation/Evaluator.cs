using System.Text.Json;
using Cascade.Imaging;
using Cascade.Inference.Decisions;
using Cascade.Inference.Packs;
using Cascade.Inference.Runtime;
using Cascade.Training.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Training.Evaluation;

/// <summary>
/// Scores cascades (gate pack + classifier pack, loaded with <see cref="StagePack.Load"/> exactly as the services do)
/// on a labelled folder and writes metrics.json plus a self-contained HTML report comparing them side by side.
/// </summary>
public static class Evaluator
{
    public const string NoObject = "no object";
    public const string Unknown = "unknown";
    public const string NoneOfThese = "none";

    public static async Task<EvalReport> RunAsync(EvalOptions options, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var dataset = ImageFolderDataset.Scan(options.Dataset, cancellationToken);
        var samples = options.Split is { } split ? dataset.In(split).ToList() : dataset.Samples.ToList();
        if (samples.Count == 0) throw new ArgumentException("No images to evaluate in the chosen split.");
        Directory.CreateDirectory(options.OutputDirectory);

        var sessions = new SessionFactory(options.Inference, NullLogger.Instance);
        var decoder = new ImageDecoder(options.Inference.ImageLimits);
        // A pack shared by several cascades is scored once.
        var scored = new Dictionary<string, (ModelManifest Manifest, float[][] Probabilities)>();
        async Task<(ModelManifest, float[][])> ScoreAsync(string packDirectory)
        {
            var key = Path.GetFullPath(packDirectory);
            if (!scored.TryGetValue(key, out var entry))
            {
                var stage = StagePack.Load(Materialize(packDirectory, options), sessions, modelDirectory: null);
                using (stage.Backbone)
                using (stage.Head)
                    entry = (stage.Head.Manifest, await Task.Run(() => Score(stage, samples, decoder, options.BatchSize, progress, cancellationToken), cancellationToken).ConfigureAwait(false));
                scored[key] = entry;
            }
            return entry;
        }

        var results = new List<CascadeMetrics>();
        foreach (var cascade in options.Cascades)
        {
            var (gateManifest, gateScores) = await ScoreAsync(cascade.GatePack).ConfigureAwait(false);
            var (classifierManifest, classifierScores) = await ScoreAsync(cascade.ClassifierPack).ConfigureAwait(false);
            results.Add(Measure(cascade.Name, dataset.Labels, samples, gateManifest, gateScores, classifierManifest, classifierScores, options.MaxThumbnails));
        }

        var splitName = options.Split?.ToString().ToLowerInvariant();
        var metricsPath = Path.Combine(options.OutputDirectory, "metrics.json");
        await File.WriteAllTextAsync(metricsPath, JsonSerializer.Serialize(new { images = samples.Count, split = splitName ?? "all", cascades = results }, JsonOptions), cancellationToken).ConfigureAwait(false);
        var reportPath = Path.Combine(options.OutputDirectory, "report.html");
        await File.WriteAllTextAsync(reportPath, HtmlReport.Render(results, samples.Count, splitName ?? "all", options.Dataset.ClassRoot), cancellationToken).ConfigureAwait(false);
        return new EvalReport(results, samples.Count, splitName, metricsPath, reportPath);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// Computes a cascade's metrics from per-image probabilities (public so the rules can be checked against
    /// hand-computed matrices without running a model).
    /// </summary>
    public static CascadeMetrics Measure(string name, IReadOnlyList<string> labels, IReadOnlyList<ImageSample> samples, ModelManifest gateManifest, float[][] gateProbabilities,
        ModelManifest classifierManifest, float[][] classifierProbabilities, int maxThumbnails)
    {
        var gate = new GatePolicy(gateManifest);
        var classifier = new ClassifierPolicy(classifierManifest);
        var names = labels.Union(classifier.Labels).ToList();
        var fine = new ConfusionMatrix([.. names, NoneOfThese]);
        var verdicts = new ConfusionMatrix([NoObject, .. names, Unknown]);
        var gateScores = new float[samples.Count];
        var isObject = samples.Select(s => s.IsObject).ToArray();
        var errors = new List<Misclassified>();
        int argmaxCorrect = 0, labelledCount = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var gateDecision = gate.Decide(gateProbabilities[i]);
            gateScores[i] = gateDecision.Score;
            var decision = classifier.Decide(classifierProbabilities[i]);
            if (sample.Kind == SampleKind.Labelled)
            {
                labelledCount++;
                fine.Add(labels[sample.Label], decision.Label ?? NoneOfThese);
                if (decision.Scores.MaxBy(s => s.Score).Label == labels[sample.Label]) argmaxCorrect++;
            }
            var expected = sample.Kind switch
            {
                SampleKind.Labelled => labels[sample.Label],
                SampleKind.OtherPositive => Unknown,
                _ => NoObject,
            };
            var predicted = !gateDecision.Accepted ? NoObject : decision.Label ?? Unknown;
            verdicts.Add(expected, predicted);
            if (expected != predicted) errors.Add(new Misclassified(sample.Path, expected, predicted, gateDecision.Score));
        }
        var curve = BinaryMetrics.Curve(gateScores, isObject);
        var step = Math.Max(1, curve.Count / 200);
        return new CascadeMetrics
        {
            Name = name,
            GatePack = $"{gateManifest.Name}@{gateManifest.Version}",
            ClassifierPack = $"{classifierManifest.Name}@{classifierManifest.Version}",
            GateThreshold = gate.Threshold,
            Gate = BinaryMetrics.Compute(gateScores, isObject, gate.Threshold),
            PrecisionRecallCurve = curve.Where((_, k) => k % step == 0 || k == curve.Count - 1).ToList(),
            Fine = fine,
            FineArgmaxAccuracy = labelledCount == 0 ? double.NaN : (double)argmaxCorrect / labelledCount,
            Verdicts = verdicts,
            Errors = errors.OrderByDescending(e => e.Expected == NoObject ? e.GateScore : 1 - e.GateScore).Take(Math.Max(maxThumbnails, 0)).ToList(),
        };
    }

    /// <summary>Probabilities (the manifest's activation applied) of every sample.</summary>
    private static float[][] Score(StagePack stage, IReadOnlyList<ImageSample> samples, ImageDecoder decoder, int batchSize, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        var (pack, head) = stage;
        var batch = Math.Min(batchSize, pack.MaxBatch);
        var input = new float[batch * pack.InputElements];
        var output = new float[batch * pack.OutputSize];
        var probabilities = new float[samples.Count][];
        for (var start = 0; start < samples.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batch, samples.Count - start);
            for (var b = 0; b < count; b++)
            {
                using var image = decoder.Decode(File.ReadAllBytes(samples[start + b].Path), pack.Resize);
                pack.Layout.Write(image, input.AsSpan(b * pack.InputElements, pack.InputElements));
            }
            pack.Run(input, count, output);
            for (var b = 0; b < count; b++)
            {
                probabilities[start + b] = new float[head.Classes];
                head.Score(output.AsSpan(b * pack.OutputSize, pack.OutputSize).ToArray(), probabilities[start + b]);
            }
            progress?.Report(new EvalProgress(head.DisplayName, start + count, samples.Count, $"{head.DisplayName}: {start + count}/{samples.Count} images"));
        }
        return probabilities;
    }

    /// <summary>
    /// A loadable folder for <paramref name="packDirectory"/>: itself when it has model.onnx, else a scratch folder
    /// with its model.json and a link to the mirror's model file (reference packs ship only the manifest).
    /// </summary>
    private static string Materialize(string packDirectory, EvalOptions options)
    {
        if (File.Exists(Path.Combine(packDirectory, ModelManifest.ModelFileName))) return packDirectory;
        var manifest = ModelManifest.Read(Path.Combine(packDirectory, ModelManifest.FileName));
        if (manifest.Model is null) return packDirectory;
        var source = options.ModelMirror is null || manifest.Model.MirrorFileName is null ? null : Path.Combine(options.ModelMirror, manifest.Model.MirrorFileName);
        if (source is null || !File.Exists(source))
            throw new ModelPackException($"{packDirectory} has no {ModelManifest.ModelFileName} and no model file in the mirror ({options.ModelMirror ?? "none given"}).");
        var scratch = Path.Combine(options.OutputDirectory, ".packs", manifest.Name);
        Directory.CreateDirectory(scratch);
        File.Copy(Path.Combine(packDirectory, ModelManifest.FileName), Path.Combine(scratch, ModelManifest.FileName), overwrite: true);
        var link = Path.Combine(scratch, ModelManifest.ModelFileName);
        if (File.Exists(link)) File.Delete(link);
        File.CreateSymbolicLink(link, Path.GetFullPath(source));
        return scratch;
    }
}
