using System.Diagnostics;
using Cascade.Training.Calibration;
using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Evaluation;
using Cascade.Training.Export;
using Cascade.Training.Heads;
using Cascade.Training.Onnx;

namespace Cascade.Training.Training;

/// <summary>
/// Trains the gate and the fine classifier as linear heads on the frozen backbone's embeddings, calibrates their
/// thresholds on held-out scores (validation split; for the gate also out-of-fold scores of the training images),
/// exports both as model packs (<see cref="PackLayout"/>) and scores them on the test split.
/// </summary>
public static class Trainer
{
    public static async Task<TrainingResult> RunAsync(TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var total = Stopwatch.StartNew();
        progress?.Report(new TrainingProgress(TrainingStage.Scanning, 0, 1, "hashing images"));
        var dataset = ImageFolderDataset.Scan(options.Dataset, cancellationToken);
        progress?.Report(new TrainingProgress(TrainingStage.Scanning, 1, 1, $"{dataset.Samples.Count} images, labels {string.Join(", ", dataset.Labels)}"));
        RequireTrainingImages(dataset, options);

        var embeddingTime = Stopwatch.StartNew();
        var plan = EmbeddingPlan.Build(dataset, options);
        var cache = options.CacheDirectory is null ? null : new EmbeddingCache(options.CacheDirectory);
        float[][] embeddings;
        int computed;
        using (var extractor = new EmbeddingExtractor(options.Backbone, cache, options.BatchSize))
        {
            var requests = plan.Requests;
            var extractProgress = progress is null ? null : new SyncProgress<int>(done =>
                progress.Report(new TrainingProgress(TrainingStage.Embedding, done, requests.Count, $"{done}/{requests.Count} embeddings")));
            embeddings = await extractor.ExtractAsync(requests, extractProgress, cancellationToken).ConfigureAwait(false);
            computed = extractor.LastComputed;
        }
        embeddingTime.Stop();

        var result = new TrainingResult
        {
            TrainImages = dataset.In(DatasetSplit.Train).Count(),
            ValidationImages = dataset.In(DatasetSplit.Validation).Count(),
            TestImages = dataset.In(DatasetSplit.Test).Count(),
            Embeddings = embeddings.Length,
            EmbeddingsComputed = computed,
            EmbeddingTime = embeddingTime.Elapsed,
        };
        var gateFeatures = options.Gate.Enabled ? options.Backbone.Features(options.Gate.ZeroShotGroups, options.Gate.MirrorAverage) : null;
        var classifierFeatures = options.Classifier.Enabled ? options.Backbone.Features(options.Classifier.ZeroShotGroups, options.Classifier.MirrorAverage) : null;
        var backbones = ExportBackbones(options, new[] { gateFeatures, classifierFeatures }.OfType<HeadFeatures>().ToList());
        result = result with { BackbonePackDirectories = backbones.Values.Select(b => b.Directory).ToList() };
        if (gateFeatures is not null)
            result = TrainGate(options, dataset, plan, embeddings, gateFeatures, backbones.GetValueOrDefault(gateFeatures.MirrorAverage), result, progress, cancellationToken);
        if (classifierFeatures is not null)
            result = TrainClassifier(options, dataset, plan, embeddings, classifierFeatures, backbones.GetValueOrDefault(classifierFeatures.MirrorAverage), result, progress, cancellationToken);
        progress?.Report(new TrainingProgress(TrainingStage.Done, 1, 1, $"done in {total.Elapsed.TotalSeconds:F1} s"));
        return result with { TotalTime = total.Elapsed };
    }

    /// <summary>
    /// With <see cref="PackLayout.SharedBackbone"/>, one backbone pack per mirror-average setting of the heads, exposing the
    /// tensors all of them read, so a gate and a classifier that average alike name the same backbone; none otherwise.
    /// </summary>
    private static Dictionary<bool, BackbonePack> ExportBackbones(TrainingOptions options, IReadOnlyList<HeadFeatures> heads)
    {
        if (options.PackLayout != PackLayout.SharedBackbone) return [];
        return heads.GroupBy(h => h.MirrorAverage).ToDictionary(g => g.Key,
            g => PackExporter.ExportBackbone(options.OutputDirectory, options.Backbone, g.Key, g.Any(h => h.LogitsTensor is not null), options.Version));
    }

    private static TrainingResult TrainGate(TrainingOptions options, ImageFolderDataset dataset, EmbeddingPlan plan, float[][] embeddings, HeadFeatures features,
        BackbonePack? backbone, TrainingResult result, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var gate = options.Gate;
        var data = new EmbeddedDataset(dataset, plan, HeadInputs(plan, embeddings, features));
        var train = data.GateRows(DatasetSplit.Train, gate.AugmentNegatives);
        var validation = data.GateRows(DatasetSplit.Validation);
        var pool = data.NegativePool(gate.AugmentNegatives);
        var head = TrainHead(TrainingStage.TrainingGate, "gate", train, validation, gate.Head, HeadActivation.Sigmoid, null, progress, cancellationToken);

        var mined = 0;
        for (var round = 1; round <= gate.HardNegativeRounds && pool.Count > 0; round++)
        {
            var threshold = CalibrateGate(head, validation, gate.TargetRecall);
            var hard = HardNegativeMiner.Mine(head, pool, threshold);
            progress?.Report(new TrainingProgress(TrainingStage.MiningHardNegatives, round, gate.HardNegativeRounds,
                $"round {round}: {hard.Count} of {pool.Count} pool negatives accepted at threshold {threshold:F3}"));
            if (hard.Count == 0) break;
            var hardSet = hard.ToHashSet();
            train = train.Concat(new LabelledEmbeddings(hard.Select(i => pool[i]).ToList(), hard.Select(_ => new[] { 0f }).ToList(),
                hard.Select(_ => gate.HardNegativeWeight).ToList()));
            pool = pool.Where((_, i) => !hardSet.Contains(i)).ToList();
            mined += hard.Count;
            head = TrainHead(TrainingStage.TrainingGate, $"gate (after round {round})", train, validation, gate.Head, HeadActivation.Sigmoid, head, progress, cancellationToken);
        }

        var heldOut = Enumerable.Range(0, validation.Count).Where(i => validation.Targets[i][0] >= 0.5f).Select(i => head.Scores(validation.Features[i])[0]).ToList();
        for (var fold = 0; fold < gate.CalibrationFolds; fold++)
        {
            progress?.Report(new TrainingProgress(TrainingStage.Calibrating, fold, gate.CalibrationFolds, $"gate threshold: cross-validation fold {fold + 1}/{gate.CalibrationFolds}"));
            heldOut.AddRange(OutOfFoldPositiveScores(data, gate, fold, mined, train, cancellationToken));
        }
        var gateThreshold = ThresholdCalibrator.ForRecall(heldOut, gate.TargetRecall);
        progress?.Report(new TrainingProgress(TrainingStage.Calibrating, gate.CalibrationFolds, gate.CalibrationFolds,
            $"gate threshold {gateThreshold:F4} for recall {gate.TargetRecall} on {heldOut.Count} held-out positives"));

        progress?.Report(new TrainingProgress(TrainingStage.Exporting, 0, 1, gate.PackName));
        var directory = Path.Combine(options.OutputDirectory, gate.PackName);
        PackExporter.ExportGate(directory, options.Backbone, features, head, gate.PackName, options.Version, gate.PositiveGroup, gateThreshold,
            $"Trained gate: linear sigmoid head on {Path.GetFileName(options.Backbone.ModelPath)} embedding {options.Backbone.EmbeddingTensor}{MirrorNote(features)}; threshold for validation recall {gate.TargetRecall}.",
            backbone);
        TrainingRun.Of(options).WriteTo(directory);
        progress?.Report(new TrainingProgress(TrainingStage.Exporting, 1, 1, directory));

        var test = data.Centres(DatasetSplit.Test).Select(c => (c.Sample, Score: head.Scores(c.Features)[0])).ToList();
        var errors = test.Where(t => t.Score >= gateThreshold != t.Sample.IsObject)
            .Select(t => new Misclassified(t.Sample.Path, GateVerdict(gate, t.Sample.IsObject), GateVerdict(gate, !t.Sample.IsObject), t.Score))
            .ToList();
        return result with
        {
            GatePackDirectory = directory,
            GateThreshold = gateThreshold,
            HardNegativesMined = mined,
            GateValidation = BinaryMetrics.Compute(validation.Features.Select(f => head.Scores(f)[0]).ToList(), validation.Targets.Select(t => t[0] >= 0.5f).ToList(), gateThreshold),
            GateTest = test.Count == 0 ? null : BinaryMetrics.Compute(test.Select(t => t.Score).ToList(), test.Select(t => t.Sample.IsObject).ToList(), gateThreshold),
            GateTestErrors = errors,
        };
    }

    private static string GateVerdict(GateTrainingOptions gate, bool isObject) => isObject ? gate.PositiveGroup : $"no {gate.PositiveGroup}";

    private static TrainingResult TrainClassifier(TrainingOptions options, ImageFolderDataset dataset, EmbeddingPlan plan, float[][] embeddings, HeadFeatures features,
        BackbonePack? backbone, TrainingResult result, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var classifier = options.Classifier;
        var data = new EmbeddedDataset(dataset, plan, HeadInputs(plan, embeddings, features));
        var withNone = classifier.Activation == HeadActivation.Sigmoid && classifier.NoneOfTheseExamples;
        var train = data.ClassifierRows(DatasetSplit.Train, withNone);
        var validation = data.ClassifierRows(DatasetSplit.Validation, withNone);
        var head = TrainHead(TrainingStage.TrainingClassifier, "classifier", train, validation, classifier.Head, classifier.Activation, null, progress, cancellationToken);

        progress?.Report(new TrainingProgress(TrainingStage.Calibrating, 0, 1, "label thresholds"));
        var labelled = Enumerable.Range(0, validation.Count).Where(i => validation.ClassOf(i) >= 0)
            .Select(i => (validation.ClassOf(i), head.Scores(validation.Features[i]))).ToList();
        var thresholds = ThresholdCalibrator.ForLabels(data.Dataset.Labels, labelled, classifier.LabelRecall, classifier.MaxLabelThreshold);
        progress?.Report(new TrainingProgress(TrainingStage.Calibrating, 1, 1, string.Join(", ", thresholds.Select(t => $"{t.Key} {t.Value:F3}"))));

        progress?.Report(new TrainingProgress(TrainingStage.Exporting, 0, 1, classifier.PackName));
        var directory = Path.Combine(options.OutputDirectory, classifier.PackName);
        PackExporter.ExportClassifier(directory, options.Backbone, features, head, data.Dataset.Labels, classifier.PackName, options.Version, thresholds, classifier.MinScore,
            $"Trained classifier: linear {classifier.Activation.ToString().ToLowerInvariant()} head on {Path.GetFileName(options.Backbone.ModelPath)} embedding {options.Backbone.EmbeddingTensor}{MirrorNote(features)}.",
            backbone);
        TrainingRun.Of(options).WriteTo(directory);
        progress?.Report(new TrainingProgress(TrainingStage.Exporting, 1, 1, directory));

        var labels = data.Dataset.Labels;
        var confusion = new ConfusionMatrix(labels);
        var errors = new List<Misclassified>();
        var logits = new float[head.Outputs];
        foreach (var (sample, centre) in data.Centres(DatasetSplit.Test).Where(c => c.Sample.Kind == SampleKind.Labelled))
        {
            head.Logits(centre, logits);
            var (expected, predicted) = (labels[sample.Label], labels[System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits)]);
            confusion.Add(expected, predicted);
            if (expected != predicted) errors.Add(new Misclassified(sample.Path, expected, predicted));
        }
        return result with
        {
            ClassifierPackDirectory = directory,
            LabelThresholds = thresholds,
            ClassifierTest = confusion.Total == 0 ? null : confusion,
            ClassifierTestErrors = errors,
        };
    }

    /// <summary>
    /// Head features per embedding request. With mirror averaging, the centre row of each validation and test image is
    /// the mean over it and its mirror, exactly what the exported pack computes, so calibration and test scores see what
    /// the services will. Training rows stay single views: averaging the training centre rows as well made no
    /// difference in 5-fold CV and would cost 1,400 more backbone runs.
    /// </summary>
    private static float[][] HeadInputs(EmbeddingPlan plan, float[][] raw, HeadFeatures features)
    {
        var rows = raw.Select(r => features.Compute(r)).ToArray();
        if (!features.MirrorAverage) return rows;
        for (var i = 0; i < plan.Centre.Length; i++)
            if (plan.CentreMirror[i] >= 0) rows[plan.Centre[i]] = features.Compute(raw[plan.Centre[i]], raw[plan.CentreMirror[i]]);
        return rows;
    }

    /// <summary>
    /// Before any backbone run: a label without a training image would leave a head with nothing to learn from, which
    /// otherwise surfaces minutes later as an empty training set no user can trace back to a folder.
    /// </summary>
    private static void RequireTrainingImages(ImageFolderDataset dataset, TrainingOptions options)
    {
        var split = options.Dataset.Split;
        var splitOptions = $"--seed {split.Seed}, --validation-fraction {split.ValidationFraction}, --test-fraction {split.TestFraction}";
        var byLabel = dataset.Labels.Select((name, label) => (Name: name, Folder: Path.Combine(options.Dataset.ClassRoot, name),
            Images: dataset.Samples.Where(s => s.Kind == SampleKind.Labelled && s.Label == label).ToList())).ToList();
        if (byLabel.FirstOrDefault(l => l.Images.Count == 0) is { Name: not null } empty)
            throw new ArgumentException($"Label '{empty.Name}' has no images in {empty.Folder} (JPEG, PNG, WebP, GIF or TIFF files).");
        if (options.Classifier.Enabled && byLabel.FirstOrDefault(l => !l.Images.Any(s => s.Split == DatasetSplit.Train)) is { Name: not null } untrained)
            throw new ArgumentException($"Label '{untrained.Name}' has no image in the training split: its {untrained.Images.Count} image(s) in {untrained.Folder} all went to " +
                $"validation or test ({splitOptions}). Give it more images.");
        if (!dataset.In(DatasetSplit.Train).Any(s => s.IsObject))
            throw new ArgumentException($"No image of the object is in the training split: all went to validation or test ({splitOptions}). Give more images.");
    }

    private static string MirrorNote(HeadFeatures features) => features.MirrorAverage ? " averaged over the image and its mirror" : "";

    private static LinearHead TrainHead(TrainingStage stage, string name, LabelledEmbeddings train, LabelledEmbeddings validation, HeadOptions options,
        HeadActivation activation, LinearHead? start, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        HeadTrainer.Train(train, validation, options, activation, start,
            progress is null ? null : e => progress.Report(new TrainingProgress(stage, e.Epoch, e.Epochs,
                $"{name}: epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:F4}" + (e.ValidationAccuracy is { } a ? $" val loss {e.ValidationLoss:F4} acc {a:P1}" : ""), e)),
            cancellationToken);

    /// <summary>
    /// Scores of the training positives in <paramref name="fold"/> from a gate trained without that fold's images
    /// (mined hard negatives, the last <paramref name="mined"/> rows of <paramref name="train"/>, stay in).
    /// </summary>
    private static IEnumerable<float> OutOfFoldPositiveScores(EmbeddedDataset data, GateTrainingOptions gate, int fold, int mined, LabelledEmbeddings train,
        CancellationToken cancellationToken)
    {
        bool InFold(int sample) => Convert.ToInt32(data.Dataset.Samples[sample].ContentHash[..6], 16) % gate.CalibrationFolds == fold;
        var rows = data.GateRows(DatasetSplit.Train, gate.AugmentNegatives, i => !InFold(i));
        var hard = Enumerable.Range(train.Count - mined, mined).ToList();
        rows = rows.Concat(new LabelledEmbeddings(hard.Select(i => train.Features[i]).ToList(), hard.Select(i => train.Targets[i]).ToList(), hard.Select(i => train.Weights[i]).ToList()));
        var head = HeadTrainer.Train(rows, null, gate.Head, HeadActivation.Sigmoid, cancellationToken: cancellationToken);
        return data.Centres(DatasetSplit.Train, InFold).Where(c => c.Sample.IsObject).Select(c => head.Scores(c.Features)[0]).ToList();
    }

    private static float CalibrateGate(LinearHead head, LabelledEmbeddings validation, double targetRecall)
    {
        var positives = Enumerable.Range(0, validation.Count).Where(i => validation.Targets[i][0] >= 0.5f).Select(i => head.Scores(validation.Features[i])[0]).ToList();
        if (positives.Count == 0) throw new InvalidOperationException("The validation split has no positive images to calibrate the gate on; add images or raise the validation fraction.");
        return ThresholdCalibrator.ForRecall(positives, targetRecall);
    }

    /// <summary>Reports on the calling thread, in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
