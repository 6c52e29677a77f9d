using System.CommandLine;
using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.Training.Embeddings;
using Cascade.Training.Heads;
using Cascade.Training.Training;
using Cascade.Training.ZeroShot;
using Spectre.Console;

namespace Cascade.Cli.Commands;

/// <summary>`cascade train`: a gate and a classifier head on a frozen backbone, exported as model packs.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new DatasetArguments();
        var name = new Option<string>("--name")
        {
            Description = $"What the packs teach: the gate's label and the pack names gate-NAME-trained, classifier-NAME-trained (required with --data; default for the bear example: {ExampleName})",
        };
        var backbone = new Option<string>("--backbone")
        {
            Description = "Backbone: a model pack folder (its input spec is the preprocessing, its logits feed zero-shot features), or an ONNX file with MobileNetV2's conventions",
            DefaultValueFactory = _ => DefaultBackbone,
        };
        var gateZeroShot = ZeroShotOption("--gate-zero-shot", "the gate");
        var classifierZeroShot = ZeroShotOption("--classifier-zero-shot", "the classifier");
        var classNames = new Option<string?>("--class-names")
        {
            Description = $"The backbone's class names, one a line in output order (ImageNet synset format), for zero-shot groups given by name (default: {ClassNames.DefaultFileName} next to the backbone)",
        };
        var embedding = new Option<string?>("--embedding") { Description = $"The backbone's embedding tensor, [batch, size] (default: MobileNetV2's pooled embedding, {BackboneSpec.Fp32EmbeddingTensor}, or {BackboneSpec.Int8EmbeddingTensor} in the int8 network)" };
        var embeddingSize = new Option<int>("--embedding-size") { Description = "Values per image of --embedding", DefaultValueFactory = _ => 1280 };
        // The model directory, so `cascade classify --gate gate-NAME-trained` finds the packs without --model-dir.
        var output = new Option<string>("--out")
        {
            Description = $"Where the gate and classifier packs are written (default: the model directory, {ModelDirectoryLocation.Order})",
            DefaultValueFactory = _ => InferenceOptions.DefaultModelDirectory(),
        };
        var cache = new Option<string?>("--cache") { Description = "Embedding cache folder", DefaultValueFactory = _ => ".artifacts/embedding-cache" };
        var views = new Option<int>("--views") { Description = "Augmented views per training image", DefaultValueFactory = _ => new AugmentationOptions().Views };
        var gateLoss = new Option<LossKind>("--gate-loss") { Description = "Gate loss", DefaultValueFactory = _ => new GateTrainingOptions().Head.Loss };
        var focalGamma = new Option<float>("--focal-gamma") { DefaultValueFactory = _ => new GateTrainingOptions().Head.FocalGamma };
        var focalAlpha = new Option<float?>("--focal-alpha") { Description = "Weight of the positive class in focal loss (default: class balance)" };
        var balance = new Option<ClassBalance>("--balance") { Description = "Class imbalance handling", DefaultValueFactory = _ => new GateTrainingOptions().Head.Balance };
        var synthetic = new Option<int>("--synthetic-negatives") { Description = "Synthetic split-square negatives", DefaultValueFactory = _ => new GateTrainingOptions().SyntheticNegatives };
        var syntheticPool = new Option<int>("--synthetic-pool") { Description = "Further synthetic negatives that enter training only when mined as hard", DefaultValueFactory = _ => new GateTrainingOptions().SyntheticPool };
        var hardRounds = new Option<int>("--hard-negative-rounds") { DefaultValueFactory = _ => new GateTrainingOptions().HardNegativeRounds };
        var targetRecall = new Option<double>("--target-recall") { Description = "Gate threshold calibrated to this recall", DefaultValueFactory = _ => new GateTrainingOptions().TargetRecall };
        var gateMirror = new Option<bool>("--gate-mirror-average") { Description = "Gate averages the backbone outputs of the image and its mirror (2x backbone cost)", DefaultValueFactory = _ => new GateTrainingOptions().MirrorAverage };
        var classifierMirror = new Option<bool>("--classifier-mirror-average") { Description = "Classifier averages the backbone outputs of the image and its mirror (2x backbone cost)", DefaultValueFactory = _ => new ClassifierTrainingOptions().MirrorAverage };
        var activation = new Option<HeadActivation>("--classifier-activation") { Description = "sigmoid (multi-label, can say none) or softmax", DefaultValueFactory = _ => new ClassifierTrainingOptions().Activation };
        var gateOnly = new Option<bool>("--gate-only");
        var classifierOnly = new Option<bool>("--classifier-only");
        var version = new Option<string>("--version") { DefaultValueFactory = _ => "1.0.0" };
        var packLayout = new Option<PackLayout>("--pack-layout")
        {
            Description = "SharedBackbone: a backbone pack and two head packs naming it (the cascade runs the backbone once per image); Whole: each pack its own backbone with the head merged in",
            DefaultValueFactory = _ => PackLayout.SharedBackbone,
        };
        var command = new Command("train", "Train a gate and a fine classifier head on a frozen backbone; write model packs")
        {
            name, backbone, gateZeroShot, classifierZeroShot, classNames, embedding, embeddingSize, output, cache, views, gateLoss, focalGamma, focalAlpha, balance, synthetic, syntheticPool, hardRounds, targetRecall, gateMirror, classifierMirror, activation, gateOnly, classifierOnly, version, packLayout,
        };
        dataset.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var example = !dataset.DataGiven(result);
            var taught = result.GetValue(name) ?? (example ? ExampleName : throw new ArgumentException(
                "--name is required with --data: it names what the packs teach (gate-NAME-trained, classifier-NAME-trained and the gate's label), e.g. --name hotdog."));
            var backboneSpec = ReadBackbone(result.GetValue(backbone)!, result.GetResult(backbone) is { Implicit: true }, result.GetValue(embedding), result.GetValue(embeddingSize));
            var defaults = new TrainingOptions { Dataset = dataset.Read(result), Backbone = backboneSpec, OutputDirectory = result.GetValue(output)! }.Named(taught);
            // The default zero-shot groups are ImageNet's bear classes: right for the bear example, noise for anything else,
            // and impossible without logits (a pack whose output is probabilities). Otherwise the heads see the embedding alone.
            if (!example || backboneSpec.LogitsTensor is null)
                defaults = defaults with { Gate = defaults.Gate with { ZeroShotGroups = [] }, Classifier = defaults.Classifier with { ZeroShotGroups = [] } };
            var names = new Lazy<ClassNames>(() =>
            {
                var file = result.GetValue(classNames) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(backboneSpec.ModelPath))!, ClassNames.DefaultFileName);
                return File.Exists(file) ? ClassNames.Read(file)
                    : throw new ArgumentException($"Zero-shot classes given by name need the backbone's class names, and {file} does not exist: give --class-names FILE, or class indices.");
            });
            IReadOnlyList<int[]> Groups(Option<string[]> option, IReadOnlyList<int[]> fallback) => result.GetResult(option) is { Implicit: false }
                ? ZeroShotGroups.Parse(option.Name, result.GetValue(option) ?? [], backboneSpec.LogitsTensor is null ? 0 : backboneSpec.LogitsSize, () => names.Value)
                : fallback;
            defaults = defaults with
            {
                Gate = defaults.Gate with { ZeroShotGroups = Groups(gateZeroShot, defaults.Gate.ZeroShotGroups) },
                Classifier = defaults.Classifier with { ZeroShotGroups = Groups(classifierZeroShot, defaults.Classifier.ZeroShotGroups) },
            };
            var options = defaults with
            {
                CacheDirectory = result.GetValue(cache),
                Version = result.GetValue(version)!,
                PackLayout = result.GetValue(packLayout),
                Augmentation = defaults.Augmentation with { Views = result.GetValue(views) },
                Gate = defaults.Gate with
                {
                    Enabled = !result.GetValue(classifierOnly),
                    Head = defaults.Gate.Head with { Loss = result.GetValue(gateLoss), FocalGamma = result.GetValue(focalGamma), FocalAlpha = result.GetValue(focalAlpha), Balance = result.GetValue(balance) },
                    SyntheticNegatives = result.GetValue(synthetic),
                    SyntheticPool = result.GetValue(syntheticPool),
                    HardNegativeRounds = result.GetValue(hardRounds),
                    TargetRecall = result.GetValue(targetRecall),
                    MirrorAverage = result.GetValue(gateMirror),
                },
                Classifier = defaults.Classifier with { Enabled = !result.GetValue(gateOnly), Activation = result.GetValue(activation), MirrorAverage = result.GetValue(classifierMirror) },
            };
            options.Validate();

            TrainingResult trained = null!;
            await AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var bars = new Dictionary<TrainingStage, ProgressTask>();
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        if (!bars.TryGetValue(p.Stage, out var bar)) bars[p.Stage] = bar = context.AddTask(p.Stage.ToString(), maxValue: Math.Max(1, p.Total));
                        bar.MaxValue = Math.Max(1, p.Total);
                        bar.Value = p.Completed;
                        if (p.Epoch is { } e && (e.Epoch % 25 == 0 || e.Epoch == e.Epochs))
                            AnsiConsole.MarkupLine($"[grey]{p.Stage} epoch {e.Epoch}/{e.Epochs}: loss {e.TrainLoss:0.0000}, validation loss {e.ValidationLoss:0.0000}, accuracy {e.ValidationAccuracy:0.000}[/]");
                    });
                    trained = await Trainer.RunAsync(options, progress, cancellationToken);
                    foreach (var bar in bars.Values) bar.Value = bar.MaxValue;
                });

            var table = new Table().AddColumns("", "value");
            table.AddRow("images (train / validation / test)", $"{trained.TrainImages} / {trained.ValidationImages} / {trained.TestImages}");
            table.AddRow("embeddings (computed / cached)", $"{trained.EmbeddingsComputed} / {trained.Embeddings - trained.EmbeddingsComputed}");
            if (trained.GateTest is { } gate) table.AddRow("gate on test", $"recall {gate.Recall:0.0000}, precision {gate.Precision:0.0000}, ROC AUC {gate.RocAuc:0.0000} at threshold {trained.GateThreshold:0.000}");
            foreach (var error in trained.GateTestErrors)
                table.AddRow("", Markup.Escape($"{ShortPath(error.Path)} ({error.Expected}) scored {error.Score:0.000}"));
            if (trained.ClassifierTest is { } fine) table.AddRow("classifier on test", $"accuracy {fine.Accuracy:0.0000}");
            foreach (var error in trained.ClassifierTestErrors)
                table.AddRow("", Markup.Escape($"{ShortPath(error.Path)} called {error.Predicted}"));
            if (trained.GatePackDirectory is { } g) table.AddRow("gate pack", Markup.Escape(g));
            if (trained.ClassifierPackDirectory is { } c) table.AddRow("classifier pack", Markup.Escape(c));
            foreach (var b in trained.BackbonePackDirectories) table.AddRow("backbone pack (the heads read it)", Markup.Escape(b));
            if (trained.GatePackDirectory is { } run && trained.ClassifierPackDirectory is not null)
                table.AddRow("evaluate on the same test images", Markup.Escape($"cascade eval --run {run}"));
            table.AddRow("time (embeddings / total)", $"{trained.EmbeddingTime.TotalSeconds:0.0} s / {trained.TotalTime.TotalSeconds:0.0} s");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private const string ExampleName = "bear";
    /// <summary>The int8 network the default gate runs: same accuracy as its float32 copy in 5-fold CV (docs/benchmarks.md, "Training"), 2-2.5x faster with VNNI.</summary>
    private const string DefaultBackbone = "../shared/models/mobilenetv2-12-int8.onnx";

    private static Option<string[]> ZeroShotOption(string optionName, string head) => new(optionName)
    {
        Description = $"Zero-shot features of {head}: each value one group of the backbone's classes, comma-separated indices, ranges (151-268) or names (tabby), " +
            $"scored by summed log-probability; '{ZeroShotGroups.None}' for the embedding alone (default: the ImageNet bear classes for the bear example, none with --data)",
        AllowMultipleArgumentsPerToken = true,
    };

    private static BackboneSpec ReadBackbone(string path, bool isDefault, string? embedding, int embeddingSize)
    {
        if (Directory.Exists(path)) return BackboneSpec.FromPack(path, embedding ?? BackboneSpec.MobileNetV2EmbeddingOf(Path.Combine(path, ModelManifest.ModelFileName)), embeddingSize);
        if (!File.Exists(path))
            throw new ArgumentException(isDefault
                ? $"The default backbone {path} does not exist here ({Path.GetFullPath(path)}): it is relative to the repository root; run from there or give --backbone PACK_DIR or FILE.onnx."
                : $"Backbone {path} does not exist ({Path.GetFullPath(path)}); give a model pack folder or an ONNX file.");
        return BackboneSpec.MobileNetV2(path) with { EmbeddingTensor = embedding ?? BackboneSpec.MobileNetV2EmbeddingOf(path), EmbeddingSize = embeddingSize };
    }

    /// <summary>folder/file: enough to find an image in the dataset.</summary>
    private static string ShortPath(string path) => $"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileName(path)}";
}

/// <summary>Reports on the caller's thread: <see cref="Progress{T}"/> would post to the thread pool and reorder updates.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate) report(value);
    }
}
