using Cascade.Inference.Runtime;

namespace Cascade.Inference.Packs;

/// <summary>
/// What one stage runs: an image model (<see cref="Backbone"/>) and the <see cref="Head"/> on its output rows. A whole
/// pack is both; a head pack brings the backbone pack it names.
/// </summary>
public sealed record StagePack(ModelPack Backbone, ModelHead Head)
{
    /// <summary>
    /// Loads the pack in <paramref name="directory"/>. A head pack's backbone is <paramref name="loaded"/> when that is the
    /// model it names (same sha256, the tensors it reads), so two stages on one backbone share one session; otherwise it is
    /// loaded from the folder named <c>backbone.pack</c> beside the head's folder, else in <paramref name="modelDirectory"/>.
    /// </summary>
    public static StagePack Load(string directory, SessionFactory sessions, string? modelDirectory, ModelPack? loaded = null)
    {
        var manifest = ModelManifest.Read(Path.Combine(directory, ModelManifest.FileName));
        if (manifest.Form != PackForm.Head)
        {
            var pack = ModelPack.Load(directory, sessions);
            try
            {
                return new StagePack(pack, ModelHead.Of(pack));
            }
            catch
            {
                pack.Dispose();
                throw;
            }
        }

        var reference = manifest.Backbone!;
        var reuse = loaded is not null && loaded.Sha256.Equals(reference.Sha256, StringComparison.OrdinalIgnoreCase) && reference.Tensors.All(t => loaded.OffsetOf(t) >= 0);
        var backbone = reuse ? loaded! : ModelPack.Load(FindBackbone(directory, reference.Pack, modelDirectory), sessions);
        try
        {
            return new StagePack(backbone, ModelHead.Load(directory, manifest, backbone, sessions));
        }
        catch
        {
            if (!reuse) backbone.Dispose();
            throw;
        }
    }

    private static string FindBackbone(string headDirectory, string pack, string? modelDirectory)
    {
        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(headDirectory))!, pack);
        if (File.Exists(Path.Combine(beside, ModelManifest.FileName))) return beside;
        if (modelDirectory is not null && File.Exists(Path.Combine(modelDirectory, pack, ModelManifest.FileName))) return Path.Combine(modelDirectory, pack);
        throw new ModelPackException($"{headDirectory}: its backbone pack '{pack}' is neither beside it ({beside}) nor in the model directory ({modelDirectory ?? "none"}).");
    }
}
