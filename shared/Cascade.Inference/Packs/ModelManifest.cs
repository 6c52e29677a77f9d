using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Cascade.Imaging;

namespace Cascade.Inference.Packs;

/// <summary>
/// <c>model.json</c>: everything needed to feed a model and read its answer. A pack is a folder holding
/// this manifest and <c>model.onnx</c>, in one of three forms (<see cref="PackForm"/>). Schema documented in packs/README.md.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "model.json";
    public const string ModelFileName = "model.onnx";

    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Description { get; init; }
    /// <summary>The pack's model file; a head pack without one reads its output straight from a backbone tensor.</summary>
    public ModelSource? Model { get; init; }
    /// <summary>The image input; set for whole and backbone packs, absent for head packs (they take the backbone's).</summary>
    public InputSpec? Input { get; init; }
    /// <summary>The scores; set for whole and head packs, absent for backbone packs.</summary>
    public OutputSpec? Output { get; init; }
    /// <summary>Backbone packs: the tensors the model outputs for heads to read, in row order.</summary>
    public IReadOnlyList<TensorSpec>? Tensors { get; init; }
    /// <summary>Head packs: the backbone whose tensors the head reads.</summary>
    public BackboneReference? Backbone { get; init; }
    /// <summary>Optional name of every output index.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>Named sets of output indices whose probabilities add up to one score (e.g. "bear" = 294..297, 850).</summary>
    public IReadOnlyDictionary<string, int[]> Groups { get; init; } = new Dictionary<string, int[]>();
    /// <summary>Set when the pack can act as the gate.</summary>
    public GateDecision? Gate { get; init; }
    /// <summary>Set when the pack can act as the fine classifier.</summary>
    public ClassifierDecision? Classifier { get; init; }

    [JsonIgnore]
    public PackForm Form => Tensors is not null ? PackForm.Backbone : Backbone is not null ? PackForm.Head : PackForm.Whole;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A backbone pack decides nothing: no `"groups": {}` in its manifest.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type != typeof(ModelManifest)) return;
                    var groups = info.Properties.Single(p => p.Name == "groups");
                    groups.ShouldSerialize = (_, value) => value is IReadOnlyDictionary<string, int[]> { Count: > 0 };
                },
            },
        },
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
        if (Tensors is not null && Backbone is not null) problems.Add("tensors (a backbone pack) and backbone (a head pack) are both set");
        if (Model is null && Form != PackForm.Head) problems.Add("model is missing");
        if (Model is not null) ValidateModel(Model, problems);
        if (Form == PackForm.Head)
        {
            if (Input is not null) problems.Add("input is set, but a head pack takes its backbone's input");
        }
        else if (Input is null) problems.Add("input is missing");
        else
        {
            try
            {
                Input.ToResizeSpec().Validate();
                Input.ToTensorLayout().Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"input: {e.Message}");
            }
        }
        if (Form == PackForm.Backbone) ValidateBackbone(problems);
        else if (Output is null) problems.Add("output is missing");
        else ValidateDecisions(Output, problems);
        if (Backbone is not null) ValidateBackboneReference(Backbone, problems);
        if (problems.Count > 0) throw new ModelPackException($"{source}: {string.Join("; ", problems)}.");
    }

    private static void ValidateModel(ModelSource model, List<string> problems)
    {
        if (!IsSha256(model.Sha256)) problems.Add("model.sha256 must be 64 hex digits");
        if (model.Url is not null && !IsDownloadUrl(model.Url)) problems.Add($"model.url '{model.Url}' is not an absolute http(s) URL");
        if (model.DerivedFrom is { } derived)
        {
            if (!IsDownloadUrl(derived.Url)) problems.Add($"model.derivedFrom.url '{derived.Url}' is not an absolute http(s) URL");
            if (!IsSha256(derived.Sha256)) problems.Add("model.derivedFrom.sha256 must be 64 hex digits");
            if (string.IsNullOrWhiteSpace(derived.Recipe)) problems.Add("model.derivedFrom.recipe is empty");
        }
    }

    private void ValidateBackbone(List<string> problems)
    {
        if (Output is not null || Labels is not null || Groups.Count > 0 || Gate is not null || Classifier is not null)
            problems.Add("a backbone pack (tensors) has no output, labels, groups, gate or classifier: its heads decide");
        if (Tensors!.Count == 0) problems.Add("tensors is empty");
        foreach (var tensor in Tensors.Where(t => string.IsNullOrWhiteSpace(t.Name))) problems.Add("a tensor has no name");
        foreach (var tensor in Tensors.Where(t => t.Size <= 0)) problems.Add($"tensor '{tensor.Name}' has size {tensor.Size}; it must be positive");
        foreach (var name in Tensors.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key)) problems.Add($"tensor '{name}' is listed twice");
    }

    private void ValidateBackboneReference(BackboneReference backbone, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(backbone.Pack) || backbone.Pack.IndexOfAny(['/', '\\']) >= 0 || backbone.Pack is "." or "..")
            problems.Add($"backbone.pack '{backbone.Pack}' must be a pack folder name");
        if (!IsSha256(backbone.Sha256)) problems.Add("backbone.sha256 must be 64 hex digits");
        if (backbone.Tensors.Count == 0) problems.Add("backbone.tensors is empty");
        foreach (var name in backbone.Tensors.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key)) problems.Add($"backbone tensor '{name}' is listed twice");
        if (Model is null && Output is not null && !(backbone.Tensors.Count == 1 && backbone.Tensors[0] == Output.Name))
            problems.Add($"a head pack without a model reads its output from one backbone tensor: backbone.tensors must be ['{Output.Name}'], was [{string.Join(", ", backbone.Tensors.Select(t => $"'{t}'"))}]");
    }

    private void ValidateDecisions(OutputSpec output, List<string> problems)
    {
        if (output.Classes <= 0) problems.Add("output.classes must be positive");
        if (Labels is not null && Labels.Count != output.Classes)
            problems.Add($"labels has {Labels.Count} entries but output.classes is {output.Classes}");
        foreach (var (group, indices) in Groups)
        {
            if (indices.Length == 0) problems.Add($"group '{group}' is empty");
            foreach (var i in indices.Where(i => i < 0 || i >= output.Classes))
                problems.Add($"group '{group}' names output {i}, outside 0..{output.Classes - 1}");
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
    }

    private static bool IsSha256(string? value) => value is { Length: 64 } && value.All(Uri.IsHexDigit);

    public static bool IsDownloadUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

public enum PackForm
{
    /// <summary>One model from image to scores (the reference packs; <c>cascade train --pack-form whole</c>).</summary>
    Whole,
    /// <summary>An image model that outputs <see cref="ModelManifest.Tensors"/> (embedding, logits) for heads; it decides nothing itself.</summary>
    Backbone,
    /// <summary>Scores computed from a backbone's tensors (<see cref="ModelManifest.Backbone"/>): a small graph, or one tensor as it is.</summary>
    Head,
}

/// <summary>One output tensor of a backbone pack: [N, size] (or [N, size, 1, 1]) floats.</summary>
public sealed record TensorSpec(string Name, int Size);

/// <summary>
/// The backbone a head pack reads: the pack folder it is found in (beside the head's folder, else in the model directory),
/// the sha256 of that pack's model (the identity checked at load), and the tensors the head takes, in its graph's input order.
/// </summary>
public sealed record BackboneReference
{
    public required string Pack { get; init; }
    public required string Sha256 { get; init; }
    public required IReadOnlyList<string> Tensors { get; init; }
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
