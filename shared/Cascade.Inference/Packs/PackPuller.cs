using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Cascade.Inference.Packs;

public enum PullOutcome
{
    AlreadyPresent,
    Downloaded,
    Imported,
    /// <summary>Made from its upstream file by the manifest's <c>derivedFrom</c> recipe.</summary>
    Derived,
    /// <summary>A head pack without a model of its own: its manifest is all there is to install.</summary>
    ManifestOnly,
}

/// <summary>
/// Installs packs into the model directory: the manifest from the catalog (the repo's <c>packs/</c>), the model
/// from its canonical URL, from a local mirror folder, or derived from an upstream file by a recipe; always
/// checked against the manifest's sha256 and written atomically, so a failed or tampered download never leaves a
/// usable-looking file.
/// </summary>
public sealed class PackPuller(string modelDirectory, HttpClient http, ILogger logger, PackPullOptions? options = null)
{
    private readonly PackPullOptions options = options ?? new PackPullOptions();

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

    /// <summary>
    /// The catalog packs to install for <paramref name="wanted"/> (all when empty): those packs and, for a head pack, the
    /// backbone pack it names when the catalog has it (a head alone cannot run), in catalog order.
    /// </summary>
    public static IReadOnlyList<(string Name, ModelManifest Manifest)> Selection(IReadOnlyList<(string Name, ModelManifest Manifest)> catalog, IReadOnlyCollection<string> wanted)
    {
        if (wanted.Count == 0) return catalog;
        var names = new HashSet<string>(wanted, StringComparer.Ordinal);
        // A backbone pack may itself be named by a head further down: follow names until nothing is added.
        for (var added = true; added;)
        {
            added = false;
            foreach (var (_, manifest) in catalog.Where(p => names.Contains(p.Name)).ToList())
                if (manifest.Backbone?.Pack is { } backbone && catalog.Any(p => p.Name == backbone)) added |= names.Add(backbone);
        }
        return catalog.Where(p => names.Contains(p.Name)).ToList();
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
        // A head pack without a model is its manifest alone: it reads a tensor of its backbone pack.
        if (manifest.Model is null) return PullOutcome.ManifestOnly;
        if (File.Exists(modelPath) && ModelPack.Sha256Of(modelPath).Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
            return PullOutcome.AlreadyPresent;

        // Unique per pull, so concurrent pulls into one directory never write the same file.
        var temporary = $"{modelPath}.{Guid.NewGuid():N}.partial";
        try
        {
            var outcome = await FetchAsync(name, manifest.Model, mirror, temporary, cancellationToken);
            var actual = ModelPack.Sha256Of(temporary);
            if (!actual.Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelPackException($"Pack {name}: the {(outcome == PullOutcome.Derived ? "derived" : "fetched")} model has sha256 {actual}, the manifest expects {manifest.Model.Sha256}; not installed.");
            File.Move(temporary, modelPath, overwrite: true);
            return outcome;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes the model to <paramref name="temporary"/>: from the mirror folder when one is given, else from the network.</summary>
    private async Task<PullOutcome> FetchAsync(string name, ModelSource source, string? mirror, string temporary, CancellationToken cancellationToken)
    {
        var derived = source.DerivedFrom;
        if (mirror is not null)
        {
            var file = Path.Combine(mirror, source.MirrorFileName ?? ModelManifest.ModelFileName);
            if (File.Exists(file))
            {
                File.Copy(file, temporary, overwrite: true);
                return PullOutcome.Imported;
            }
            var upstream = derived?.MirrorFileName is { } upstreamName ? Path.Combine(mirror, upstreamName) : null;
            if (upstream is null || !File.Exists(upstream))
                throw new ModelPackException($"Pack {name}: {file} does not exist in the mirror folder{(upstream is null ? "" : $", nor does {upstream} to derive it from")}.");
            await DeriveAsync(name, derived!, await File.ReadAllBytesAsync(upstream, cancellationToken), upstream, temporary, cancellationToken);
            return PullOutcome.Derived;
        }
        if (source.Url is { } url)
        {
            await using var output = File.Create(temporary);
            await DownloadAsync(name, url, output, cancellationToken);
            return PullOutcome.Downloaded;
        }
        if (derived is null) throw new ModelPackException($"Pack {name} has no download URL and no derivedFrom; import it with --from DIR.");
        using var buffer = new MemoryStream();
        await DownloadAsync(name, derived.Url, buffer, cancellationToken);
        await DeriveAsync(name, derived, buffer.ToArray(), derived.Url, temporary, cancellationToken);
        return PullOutcome.Derived;
    }

    private async Task DownloadAsync(string name, string url, Stream output, CancellationToken cancellationToken)
    {
        var location = options.Resolve(url);
        logger.LogInformation("Downloading {Pack} from {Url}", name, location);
        using var response = await http.GetAsync(location, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ModelPackException($"Pack {name}: GET {location} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
        await input.CopyToAsync(output, cancellationToken);
    }

    /// <summary>Checks the upstream file's sha256, then runs the recipe; the caller checks the output's.</summary>
    private async Task DeriveAsync(string name, DerivedModelSource derived, byte[] upstream, string from, string temporary, CancellationToken cancellationToken)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(upstream));
        if (!actual.Equals(derived.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelPackException($"Pack {name}: upstream file {from} has sha256 {actual}, derivedFrom expects {derived.Sha256}; not derived.");
        var recipe = options.Derivations.FirstOrDefault(d => d.Recipe == derived.Recipe)
            ?? throw new ModelPackException($"Pack {name}: unknown derivation recipe '{derived.Recipe}' (known: {string.Join(", ", options.Derivations.Select(d => d.Recipe).DefaultIfEmpty("none"))}).");
        logger.LogInformation("Deriving {Pack} from {Upstream} with {Recipe}", name, from, recipe.Recipe);
        byte[] model;
        try
        {
            model = recipe.Derive(upstream);
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackException($"Pack {name}: recipe {recipe.Recipe} cannot derive from {from}: {e.Message}", e);
        }
        await File.WriteAllBytesAsync(temporary, model, cancellationToken);
    }

    /// <summary>Checks an installed pack's model against its manifest.</summary>
    public static string? Verify(string packDirectory)
    {
        var manifest = ModelManifest.Read(Path.Combine(packDirectory, ModelManifest.FileName));
        if (manifest.Model is null) return null;
        var modelPath = Path.Combine(packDirectory, ModelManifest.ModelFileName);
        if (!File.Exists(modelPath)) return "model.onnx is missing";
        var actual = ModelPack.Sha256Of(modelPath);
        return actual.Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase) ? null : $"sha256 {actual} does not match the manifest's {manifest.Model.Sha256}";
    }
}
