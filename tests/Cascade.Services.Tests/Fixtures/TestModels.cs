using Cascade.Inference.Packs;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// A model directory for the tests: each packs/NAME/model.json with its model from ../shared/models, as
/// <c>cascade models pull --from</c> lays it out (NAME/model.json + NAME/model.onnx). One folder for every run;
/// files are refreshed only when their size differs, and replaced atomically so concurrent runs can share it.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<string> Directory = new(Create);

    public static string ModelDirectory => Directory.Value;

    private static string Create()
    {
        var target = Path.Combine(Path.GetTempPath(), "cascade-test-models");
        foreach (var manifestPath in System.IO.Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "packs"), ModelManifest.FileName, SearchOption.AllDirectories))
        {
            var manifest = ModelManifest.Read(manifestPath);
            if (manifest.Model.MirrorFileName is not { } mirror) continue;
            var pack = System.IO.Directory.CreateDirectory(Path.Combine(target, manifest.Name)).FullName;
            CopyIfChanged(manifestPath, Path.Combine(pack, ModelManifest.FileName));
            CopyIfChanged(Path.Combine(TestPaths.SharedModels, mirror), Path.Combine(pack, ModelManifest.ModelFileName));
        }
        return target;
    }

    private static void CopyIfChanged(string source, string target)
    {
        if (File.Exists(target) && new FileInfo(target).Length == new FileInfo(source).Length
            && File.GetLastWriteTimeUtc(target) >= File.GetLastWriteTimeUtc(source)) return;
        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        File.Copy(source, staging);
        File.Move(staging, target, overwrite: true);
    }
}
