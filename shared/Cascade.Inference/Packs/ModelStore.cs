using Cascade.Imaging;
using Cascade.Inference.Batching;
using Cascade.Inference.Decisions;
using Cascade.Inference.Pipeline;
using Cascade.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace Cascade.Inference.Packs;

/// <summary>
/// The model directory: one folder per pack. Loads packs by name and builds the gate and classifier stages from them.
/// </summary>
public sealed class ModelStore
{
    private readonly InferenceOptions _options;
    private readonly SessionFactory _sessions;
    private readonly ImageDecoder _decoder;
    private readonly ILogger _logger;

    public ModelStore(InferenceOptions options, ILoggerFactory loggers)
    {
        options.Validate();
        _options = options;
        _logger = loggers.CreateLogger<ModelStore>();
        _sessions = new SessionFactory(options, loggers.CreateLogger<SessionFactory>());
        _decoder = new ImageDecoder(options.ImageLimits);
    }

    public string Directory => _options.ModelDirectory;
    public ImageDecoder Decoder => _decoder;

    /// <summary>A pack name or a path to a pack folder.</summary>
    public string Resolve(string nameOrPath)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath)) throw new ModelPackException("Pack name is empty.");
        if (System.IO.Directory.Exists(nameOrPath) && File.Exists(Path.Combine(nameOrPath, ModelManifest.FileName))) return Path.GetFullPath(nameOrPath);
        var folder = Path.Combine(_options.ModelDirectory, nameOrPath);
        if (!File.Exists(Path.Combine(folder, ModelManifest.FileName)))
            throw new ModelPackException($"Pack '{nameOrPath}' is not in the model directory {_options.ModelDirectory}; run `cascade models pull` or set {InferenceOptions.ModelDirectoryVariable}.");
        return folder;
    }

    public ModelPack Load(string nameOrPath)
    {
        var pack = ModelPack.Load(Resolve(nameOrPath), _sessions);
        _logger.LogInformation("Loaded pack {Pack} from {Directory} on {Provider} (max batch {MaxBatch})",
            pack.DisplayName, pack.Directory, pack.Provider, pack.MaxBatch == int.MaxValue ? "dynamic" : pack.MaxBatch);
        return pack;
    }

    /// <summary>A pack's image model and head; a head pack's backbone is <paramref name="loaded"/> when it names that model.</summary>
    public StagePack LoadStage(string nameOrPath, ModelPack? loaded = null)
    {
        var stage = StagePack.Load(Resolve(nameOrPath), _sessions, _options.ModelDirectory, loaded);
        if (!ReferenceEquals(stage.Backbone, loaded))
            _logger.LogInformation("Loaded pack {Pack} from {Directory} on {Provider} (max batch {MaxBatch})",
                stage.Backbone.DisplayName, stage.Backbone.Directory, stage.Backbone.Provider, stage.Backbone.MaxBatch == int.MaxValue ? "dynamic" : stage.Backbone.MaxBatch);
        if (stage.Head.Manifest.Form == PackForm.Head)
            _logger.LogInformation("Loaded head {Head} on backbone {Backbone}{Shared}", stage.Head.DisplayName, stage.Backbone.DisplayName,
                ReferenceEquals(stage.Backbone, loaded) ? " (shared with the stage before)" : "");
        return stage;
    }

    public GateStage CreateGate(string nameOrPath, float? thresholdOverride = null) => CreateGate(LoadStage(nameOrPath), thresholdOverride);

    public ClassifierStage CreateClassifier(string nameOrPath) => CreateClassifier(LoadStage(nameOrPath), null);

    /// <summary>
    /// Gate then classifier. When the classifier's pack names the gate's model as its backbone (same sha256, the tensors
    /// it reads), both stages share one session and one batcher, and the pipeline runs the backbone once per image.
    /// </summary>
    public CascadePipeline CreatePipeline(string gatePack, string classifierPack)
    {
        var gate = CreateGate(gatePack);
        try
        {
            var classifier = LoadStage(classifierPack, gate.Scorer.Pack);
            return new CascadePipeline(gate, CreateClassifier(classifier, ReferenceEquals(classifier.Backbone, gate.Scorer.Pack) ? gate.Scorer.Batcher : null));
        }
        catch
        {
            gate.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private GateStage CreateGate(StagePack stage, float? thresholdOverride)
    {
        try
        {
            return new GateStage(new ModelScorer(new DynamicBatcher(stage.Backbone, _options.Batching), stage.Head, _decoder), new GatePolicy(stage.Head.Manifest, thresholdOverride));
        }
        catch
        {
            stage.Head.Dispose();
            stage.Backbone.Dispose();
            throw;
        }
    }

    private ClassifierStage CreateClassifier(StagePack stage, DynamicBatcher? sharedBatcher)
    {
        try
        {
            return new ClassifierStage(new ModelScorer(sharedBatcher ?? new DynamicBatcher(stage.Backbone, _options.Batching), stage.Head, _decoder), new ClassifierPolicy(stage.Head.Manifest));
        }
        catch
        {
            stage.Head.Dispose();
            if (sharedBatcher is null) stage.Backbone.Dispose();
            throw;
        }
    }
}
