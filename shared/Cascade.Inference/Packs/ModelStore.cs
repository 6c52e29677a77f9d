using Cascade.Imaging;
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

    public GateStage CreateGate(string nameOrPath, float? thresholdOverride = null)
    {
        var pack = Load(nameOrPath);
        try
        {
            return new GateStage(new ModelScorer(pack, _decoder, _options.Batching), new GatePolicy(pack.Manifest, thresholdOverride));
        }
        catch
        {
            pack.Dispose();
            throw;
        }
    }

    public ClassifierStage CreateClassifier(string nameOrPath)
    {
        var pack = Load(nameOrPath);
        try
        {
            return new ClassifierStage(new ModelScorer(pack, _decoder, _options.Batching), new ClassifierPolicy(pack.Manifest));
        }
        catch
        {
            pack.Dispose();
            throw;
        }
    }

    public CascadePipeline CreatePipeline(string gatePack, string classifierPack)
    {
        var gate = CreateGate(gatePack);
        try
        {
            return new CascadePipeline(gate, CreateClassifier(classifierPack));
        }
        catch
        {
            gate.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }
}
