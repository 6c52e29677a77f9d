using Microsoft.Extensions.Logging;

namespace Cascade.Inference.Packs;

public enum PullOutcome
{
    AlreadyPresent,
    Downloaded,
    Imported,
}

/// <summary>
/// Installs packs into the model directory: the manifest from the catalog (the repo's <c>packs/</c>), the model
/// from its canonical URL or from a local mirror folder, always checked against the manifest's sha256 and
/// written atomically, so a failed or tampered download never leaves a usable-looking file.
/// </summary>
public sealed class PackPuller(string modelDirectory, HttpClient http, ILogger logger)
{
    /// <summary>The catalog shipped with the application: <c>packs/</c> beside the executable.</summary>
    public static string DefaultCatalog => Path.Combine(AppContext.BaseDirectory, "packs");

    public static IReadOnlyList<(string Name, ModelManifest Manifest)> ReadCatalog(string catalog)
    {
        if (!Directory.Exists(catalog)) throw new ModelPackException($"Pack catalog {catalog} does not exist.");
        return Directory.GetDirectories(catalog)
            .Where(d => File.Exists(Path.Combine(d, ModelManifest.FileName)))
            .Order(StringComparer.Ordinal)
            .Select(d => (Path.GetFileName(d), ModelManifest.Read(Path.Combine(d, ModelManifest.FileName))))
            .ToList();
    }

    public async Task<PullOutcome> PullAsync(string name, ModelManifest manifest, string? mirror, CancellationToken cancellationToken)
    {
        var target = Path.Combine(modelDirectory, name);
        Directory.CreateDirectory(target);
        var modelPath = Path.Combine(target, ModelManifest.ModelFileName);
        var manifestPath = Path.Combine(target, ModelManifest.FileName);
        var stagedManifest = $"{manifestPath}.{Guid.NewGuid():N}.partial";
        manifest.Write(stagedManifest);
        File.Move(stagedManifest, manifestPath, overwrite: true);
        if (File.Exists(modelPath) && ModelPack.Sha256Of(modelPath).Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
            return PullOutcome.AlreadyPresent;

        // Unique per pull, so concurrent pulls into one directory never write the same file.
        var temporary = $"{modelPath}.{Guid.NewGuid():N}.partial";
        try
        {
            PullOutcome outcome;
            await using (var output = File.Create(temporary))
            {
                if (mirror is not null)
                {
                    var source = Path.Combine(mirror, manifest.Model.MirrorFileName ?? ModelManifest.ModelFileName);
                    if (!File.Exists(source)) throw new ModelPackException($"Pack {name}: {source} does not exist in the mirror folder.");
                    await using var input = File.OpenRead(source);
                    await input.CopyToAsync(output, cancellationToken);
                    outcome = PullOutcome.Imported;
                }
                else
                {
                    var url = manifest.Model.Url ?? throw new ModelPackException($"Pack {name} has no download URL; import it with --from DIR.");
                    logger.LogInformation("Downloading {Pack} from {Url}", name, url);
                    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    if (!response.IsSuccessStatusCode) throw new ModelPackException($"Pack {name}: GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                    await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await input.CopyToAsync(output, cancellationToken);
                    outcome = PullOutcome.Downloaded;
                }
            }
            var actual = ModelPack.Sha256Of(temporary);
            if (!actual.Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelPackException($"Pack {name}: the fetched model has sha256 {actual}, the manifest expects {manifest.Model.Sha256}; not installed.");
            File.Move(temporary, modelPath, overwrite: true);
            return outcome;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Checks an installed pack's model against its manifest.</summary>
    public static string? Verify(string packDirectory)
    {
        var manifest = ModelManifest.Read(Path.Combine(packDirectory, ModelManifest.FileName));
        var modelPath = Path.Combine(packDirectory, ModelManifest.ModelFileName);
        if (!File.Exists(modelPath)) return "model.onnx is missing";
        var actual = ModelPack.Sha256Of(modelPath);
        return actual.Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase) ? null : $"sha256 {actual} does not match the manifest's {manifest.Model.Sha256}";
    }
}
