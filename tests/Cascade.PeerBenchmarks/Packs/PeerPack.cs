using System.Security.Cryptography;

namespace Cascade.PeerBenchmarks.Packs;

/// <summary>
/// A pack as the peers run it: its manifest, checked for what the peers implement (float32 RGB input, short side then
/// centre crop, softmax over logits, the argmax rule), and its model file from a models folder (the manifest's
/// <c>model.mirrorFileName</c>), checked against <c>model.sha256</c> so that every contender runs the same model.
/// </summary>
public sealed record PeerPack(PackManifest Manifest, string ModelPath)
{
    public const string ManifestFileName = "model.json";

    public InputSpec Input => Manifest.Input;
    public OutputSpec Output => Manifest.Output;

    /// <summary>Floats in one image's tensor (3 x height x width).</summary>
    public int TensorLength => 3 * Input.Width * Input.Height;

    /// <exception cref="PeerInputException">The manifest asks for something the peers do not do, or the model is missing or another file.</exception>
    public static PeerPack Load(string packFolder, string modelsFolder)
    {
        var manifestPath = Path.Combine(packFolder, ManifestFileName);
        var manifest = PackManifest.Read(manifestPath);
        var problems = Problems(manifest).ToList();
        if (problems.Count > 0) throw new PeerInputException($"{manifestPath}: {string.Join("; ", problems)}.");

        var modelPath = Path.Combine(modelsFolder, manifest.Model.MirrorFileName);
        if (!File.Exists(modelPath)) throw new PeerInputException($"{manifestPath}: its model {manifest.Model.MirrorFileName} is not in {modelsFolder}.");
        using (var model = File.OpenRead(modelPath))
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(model));
            if (!string.Equals(sha256, manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new PeerInputException($"{modelPath} has sha256 {sha256}; {manifestPath} names {manifest.Model.Sha256}.");
        }
        return new PeerPack(manifest, modelPath);
    }

    /// <summary>
    /// Whether <paramref name="other"/> makes the same tensor from an image: the peers hand the gate's tensor to the
    /// classifier, as Cascade forwards the gate's decode.
    /// </summary>
    public bool PreprocessesLike(PeerPack other) =>
        Input.Width == other.Input.Width && Input.Height == other.Input.Height && Input.ShortSide == other.Input.ShortSide
        && Input.Scale == other.Input.Scale && Input.Mean.SequenceEqual(other.Input.Mean) && Input.Std.SequenceEqual(other.Input.Std);

    private static IEnumerable<string> Problems(PackManifest manifest)
    {
        var (input, output) = (manifest.Input, manifest.Output);
        if (input.ElementType != "float32") yield return $"input.elementType is '{input.ElementType}'; the peers feed float32";
        if (input.Resize != "shortSideCrop") yield return $"input.resize is '{input.Resize}'; the peers do shortSideCrop only";
        if (input.ColorOrder != "rgb") yield return $"input.colorOrder is '{input.ColorOrder}'; the peers feed rgb only";
        if (input.Width <= 0 || input.Height <= 0 || input.ShortSide < Math.Max(input.Width, input.Height))
            yield return $"input is {input.Width}x{input.Height} from short side {input.ShortSide}; needs a positive size within the short side";
        if (input.Mean.Length != 3 || input.Std.Length != 3) yield return "input.mean and input.std need 3 values each";
        else if (input.Std.Any(s => s == 0 || !float.IsFinite(s))) yield return "input.std values must be finite and non-zero";
        if (input.Scale == 0 || !float.IsFinite(input.Scale)) yield return "input.scale must be finite and non-zero";
        if (output.Kind != "logits") yield return $"output.kind is '{output.Kind}'; the peers take logits only";
        else if (output.Activation != "softmax") yield return $"output.activation is '{output.Activation}'; the peers apply softmax only";
        if (output.Classes <= 0) yield return $"output.classes is {output.Classes}";
        foreach (var (group, indices) in manifest.Groups)
            if (indices.Any(i => i < 0 || i >= output.Classes)) yield return $"group '{group}' has an index outside 0..{output.Classes - 1}";
        if (manifest.Gate is { } gate)
        {
            if (!manifest.Groups.ContainsKey(gate.PositiveGroup)) yield return $"gate.positiveGroup '{gate.PositiveGroup}' is not a group";
            if (gate.Threshold is < 0 or > 1) yield return $"gate.threshold {gate.Threshold} is outside 0..1";
        }
        if (manifest.Classifier is { } classifier)
        {
            if (classifier.Rule != "argmax") yield return $"classifier.rule is '{classifier.Rule}'; the peers do argmax only";
            if (classifier.Labels.Length == 0) yield return "classifier.labels is empty";
            foreach (var label in classifier.Labels.Where(l => !manifest.Groups.ContainsKey(l))) yield return $"classifier label '{label}' is not a group";
            if (classifier.MinScore is < 0 or > 1) yield return $"classifier.minScore {classifier.MinScore} is outside 0..1";
        }
    }
}
