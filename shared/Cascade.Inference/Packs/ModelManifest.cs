using System.Text.Json;
using System.Text.Json.Serialization;
using Cascade.Imaging;

namespace Cascade.Inference.Packs;

/// <summary>
/// <c>model.json</c>: everything needed to feed a model and read its answer. A pack is a folder holding
/// this manifest and <c>model.onnx</c>. Schema documented in packs/README.md.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "model.json";
    public const string ModelFileName = "model.onnx";

    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Description { get; init; }
    public required ModelSource Model { get; init; }
    public required InputSpec Input { get; init; }
    public required OutputSpec Output { get; init; }
    /// <summary>Optional name of every output index.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>Named sets of output indices whose probabilities add up to one score (e.g. "bear" = 294..297, 850).</summary>
    public IReadOnlyDictionary<string, int[]> Groups { get; init; } = new Dictionary<string, int[]>();
    /// <summary>Set when the pack can act as the gate.</summary>
    public GateDecision? Gate { get; init; }
    /// <summary>Set when the pack can act as the fine classifier.</summary>
    public ClassifierDecision? Classifier { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static ModelManifest Read(string path)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ModelPackException($"{path}: invalid manifest JSON: {e.Message}", e);
        }
        if (manifest is null) throw new ModelPackException($"{path}: manifest is empty.");
        manifest.Validate(path);
        return manifest;
    }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");

    /// <summary>Checks the manifest on its own; <see cref="ModelPack"/> then checks it against the model.</summary>
    public void Validate(string source)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("name is empty");
        if (string.IsNullOrWhiteSpace(Version)) problems.Add("version is empty");
        if (!IsSha256(Model.Sha256)) problems.Add("model.sha256 must be 64 hex digits");
        if (Model.Url is not null && !IsDownloadUrl(Model.Url)) problems.Add($"model.url '{Model.Url}' is not an absolute http(s) URL");
        if (Model.DerivedFrom is { } derived)
        {
            if (!IsDownloadUrl(derived.Url)) problems.Add($"model.derivedFrom.url '{derived.Url}' is not an absolute http(s) URL");
            if (!IsSha256(derived.Sha256)) problems.Add("model.derivedFrom.sha256 must be 64 hex digits");
            if (string.IsNullOrWhiteSpace(derived.Recipe)) problems.Add("model.derivedFrom.recipe is empty");
        }
        try
        {
            Input.ToResizeSpec().Validate();
            Input.ToTensorLayout().Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add($"input: {e.Message}");
        }
        if (Output.Classes <= 0) problems.Add("output.classes must be positive");
        if (Labels is not null && Labels.Count != Output.Classes)
            problems.Add($"labels has {Labels.Count} entries but output.classes is {Output.Classes}");
        foreach (var (group, indices) in Groups)
        {
            if (indices.Length == 0) problems.Add($"group '{group}' is empty");
            foreach (var i in indices.Where(i => i < 0 || i >= Output.Classes))
                problems.Add($"group '{group}' names output {i}, outside 0..{Output.Classes - 1}");
        }
        if (Gate is null && Classifier is null) problems.Add("neither gate nor classifier decision is set");
        if (Gate is not null)
        {
            if (!Groups.ContainsKey(Gate.PositiveGroup)) problems.Add($"gate.positiveGroup '{Gate.PositiveGroup}' is not a group");
            if (Gate.Threshold is < 0 or > 1) problems.Add($"gate.threshold {Gate.Threshold} is outside 0..1");
        }
        if (Classifier is not null)
        {
            if (Classifier.Labels.Count == 0) problems.Add("classifier.labels is empty");
            foreach (var label in Classifier.Labels.Where(l => !Groups.ContainsKey(l)))
                problems.Add($"classifier label '{label}' is not a group");
            if (Classifier.Rule == ClassifierRule.Independent)
            {
                foreach (var label in Classifier.Labels.Where(l => !Classifier.Thresholds.ContainsKey(l)))
                    problems.Add($"classifier label '{label}' has no threshold (rule independent)");
            }
            foreach (var (label, t) in Classifier.Thresholds.Where(p => p.Value is < 0 or > 1))
                problems.Add($"classifier threshold for '{label}' is {t}, outside 0..1");
        }
        if (problems.Count > 0) throw new ModelPackException($"{source}: {string.Join("; ", problems)}.");
    }

    private static bool IsSha256(string? value) => value is { Length: 64 } && value.All(Uri.IsHexDigit);

    public static bool IsDownloadUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

public sealed record ModelSource
{
    public required string Sha256 { get; init; }
    /// <summary>Canonical download URL; null when the model is derived (<see cref="DerivedFrom"/>) or only comes from a local mirror (<c>--from DIR</c>).</summary>
    public string? Url { get; init; }
    /// <summary>File name to look for in a local mirror folder.</summary>
    public string? MirrorFileName { get; init; }
    /// <summary>For a model that has no download of its own: the upstream file and the recipe that make it.</summary>
    public DerivedModelSource? DerivedFrom { get; init; }
}

public enum TensorElement
{
    Float32,
    Float16,
}

public sealed record InputSpec
{
    public required string Name { get; init; }
    public TensorElement ElementType { get; init; } = TensorElement.Float32;
    public required int Width { get; init; }
    public required int Height { get; init; }
    public ResizeMode Resize { get; init; } = ResizeMode.ShortSideCrop;
    /// <summary>Short side after resizing (ShortSideCrop), before the centre crop.</summary>
    public int ShortSide { get; init; }
    public ColorOrder ColorOrder { get; init; } = ColorOrder.Rgb;
    public float Scale { get; init; } = 1;
    /// <summary>In the tensor's channel order.</summary>
    public float[] Mean { get; init; } = [0, 0, 0];
    /// <summary>In the tensor's channel order.</summary>
    public float[] Std { get; init; } = [1, 1, 1];

    public ResizeSpec ToResizeSpec() => new(Resize, Width, Height, Resize == ResizeMode.ShortSideCrop ? ShortSide : 0);
    public TensorLayout ToTensorLayout() => new(Width, Height, ColorOrder, Scale, Mean, Std);
}

public enum OutputKind
{
    /// <summary>Raw scores; <see cref="OutputSpec.Activation"/> is applied to get probabilities.</summary>
    Logits,
    /// <summary>Already probabilities; <see cref="OutputSpec.Activation"/> says how the model made them.</summary>
    Probabilities,
}

public enum OutputActivation
{
    /// <summary>One distribution over all outputs.</summary>
    Softmax,
    /// <summary>Each output an independent probability (multi-label or binary).</summary>
    Sigmoid,
}

public sealed record OutputSpec
{
    public required string Name { get; init; }
    public OutputKind Kind { get; init; } = OutputKind.Logits;
    public OutputActivation Activation { get; init; } = OutputActivation.Softmax;
    public required int Classes { get; init; }
}

public sealed record GateDecision
{
    public required string PositiveGroup { get; init; }
    public required float Threshold { get; init; }
}

public enum ClassifierRule
{
    /// <summary>The label with the highest score, unless it is below <see cref="ClassifierDecision.MinScore"/>.</summary>
    Argmax,
    /// <summary>Each label scored on its own against its threshold; "none of these" when all are below.</summary>
    Independent,
}

public sealed record ClassifierDecision
{
    public required IReadOnlyList<string> Labels { get; init; }
    public ClassifierRule Rule { get; init; } = ClassifierRule.Argmax;
    public float MinScore { get; init; }
    public IReadOnlyDictionary<string, float> Thresholds { get; init; } = new Dictionary<string, float>();
}
