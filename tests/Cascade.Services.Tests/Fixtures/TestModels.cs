using Cascade.Inference.Packs;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// A model directory for the tests: each packs/NAME/model.json with its model from ../shared/models, as
/// <c>cascade models pull --from</c> lays it out (NAME/model.json + NAME/model.onnx). Built once per run.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<string> Directory = new(Create);

    public static string ModelDirectory => Directory.Value;

    private static string Create()
    {
        var target = Path.Combine(Path.GetTempPath(), $"cascade-test-models-{Environment.ProcessId}");
        foreach (var manifestPath in System.IO.Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "packs"), ModelManifest.FileName, SearchOption.AllDirectories))
        {
            var manifest = ModelManifest.Read(manifestPath);
            if (manifest.Model.MirrorFileName is not { } mirror) continue;
            var pack = System.IO.Directory.CreateDirectory(Path.Combine(target, manifest.Name)).FullName;
            File.Copy(manifestPath, Path.Combine(pack, ModelManifest.FileName), overwrite: true);
            File.Copy(Path.Combine(TestPaths.SharedModels, mirror), Path.Combine(pack, ModelManifest.ModelFileName), overwrite: true);
        }
        return target;
    }
}
