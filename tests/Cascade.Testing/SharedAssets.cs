using Cascade.Inference;
using Cascade.Inference.Packs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Testing;

/// <summary>
/// The real models and photos in ../shared beside the repository, and a model directory with the
/// reference packs installed from them (the same `models pull --from` path users take).
/// </summary>
public static class SharedAssets
{
    private static readonly Lazy<string> InstalledModels = new(InstallModels, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepoRoot { get; } = FindRepoRoot();
    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
    public static string Data => Path.Combine(SharedRoot, "data");
    public static string Models => Path.Combine(SharedRoot, "models");
    public static string Packs => Path.Combine(RepoRoot, "packs");
    public static string Bears => Path.Combine(Data, "bears");
    public static string Negatives => Path.Combine(Data, "negatives");
    public static string ExtraBears => Path.Combine(Data, "extra_bears");
    /// <summary>The float32 MobileNetV2 the training backbone uses.</summary>
    public static string MobileNetV2Fp32 => Path.Combine(Models, "mobilenetv2-12-fp32.onnx");
    /// <summary>The int8 MobileNetV2 the default gate runs (the fp32 file is this network dequantized).</summary>
    public static string MobileNetV2Int8 => Path.Combine(Models, "mobilenetv2-12-int8.onnx");
    public static string ModelDirectory => InstalledModels.Value;

    public static IReadOnlyList<string> Photos(string relativeFolder) =>
        Directory.GetFiles(Path.Combine(Data, relativeFolder), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    public static ModelStore Store(BatchingOptions? batching = null) =>
        new(new InferenceOptions { ModelDirectory = ModelDirectory, IntraOpThreads = 2, Batching = batching ?? new BatchingOptions() }, NullLoggerFactory.Instance);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cascade.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cascade.sln not found above the test binaries.");
    }

    private static string InstallModels()
    {
        var target = Path.Combine(RepoRoot, ".models");
        using var http = new HttpClient();
        var puller = new PackPuller(target, http, NullLogger.Instance);
        foreach (var (name, manifest) in PackPuller.ReadCatalog(Packs))
            puller.PullAsync(name, manifest, Models, CancellationToken.None).GetAwaiter().GetResult();
        return target;
    }
}
