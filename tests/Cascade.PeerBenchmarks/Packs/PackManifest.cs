using System.Text.Json;

namespace Cascade.PeerBenchmarks.Packs;

/// <summary>
/// The part of a pack's <c>model.json</c> (schema: packs/README.md) that the peers need. Read here on its own, as
/// someone without Cascade would read it: fields the peers do not use are ignored, the ones they use are checked.
/// </summary>
public sealed record PackManifest(string Name, ModelFile Model, InputSpec Input, OutputSpec Output, Dictionary<string, int[]> Groups,
    GateSpec? Gate = null, ClassifierSpec? Classifier = null)
{
    // A missing field the peers need is an error naming it, not a zero or a null further on.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <exception cref="PeerInputException">The file is missing, not JSON, or lacks a field the peers need.</exception>
    public static PackManifest Read(string path)
    {
        if (!File.Exists(path)) throw new PeerInputException($"No pack manifest at {path}.");
        try
        {
            return JsonSerializer.Deserialize<PackManifest>(File.ReadAllText(path), JsonOptions)
                ?? throw new PeerInputException($"{path}: the manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new PeerInputException($"{path}: not a pack manifest: {e.Message}");
        }
    }
}

public sealed record ModelFile(string Sha256, string MirrorFileName);

public sealed record InputSpec(string Name, string ElementType, int Width, int Height, string Resize, int ShortSide, string ColorOrder,
    float Scale, float[] Mean, float[] Std);

public sealed record OutputSpec(string Name, string Kind, string Activation, int Classes);

public sealed record GateSpec(string PositiveGroup, float Threshold);

public sealed record ClassifierSpec(string[] Labels, string Rule, float MinScore);
