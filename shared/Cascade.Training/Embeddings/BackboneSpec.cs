using Cascade.Inference.Packs;
using Cascade.Training.Onnx;

namespace Cascade.Training.Embeddings;

/// <summary>
/// The frozen pretrained network whose inner tensor <see cref="EmbeddingTensor"/> feeds the trained heads.
/// <see cref="Input"/> is how images become its input; exported packs keep it, so the services preprocess alike.
/// </summary>
public sealed record BackboneSpec
{
    public required string ModelPath { get; init; }
    public required string EmbeddingTensor { get; init; }
    public required int EmbeddingSize { get; init; }
    /// <summary>The pretrained classifier's logits, for zero-shot head features; null when unused.</summary>
    public string? LogitsTensor { get; init; }
    public int LogitsSize { get; init; }
    public required InputSpec Input { get; init; }

    /// <summary>Values the extractor returns per image: the embedding, then the logits when <see cref="LogitsTensor"/> is set.</summary>
    public int RawSize => EmbeddingSize + (LogitsTensor is null ? 0 : LogitsSize);

    /// <summary>The features of a head using the zero-shot <paramref name="groups"/> (none: the embedding alone), optionally mirror-averaged.</summary>
    public HeadFeatures Features(IReadOnlyList<int[]> groups, bool mirrorAverage = false) =>
        new(EmbeddingTensor, EmbeddingSize, groups.Count == 0 ? null : LogitsTensor ?? throw new ArgumentException("Zero-shot groups need the backbone's logits tensor."), LogitsSize, groups,
            mirrorAverage);

    /// <summary>MobileNetV2 float32 (mobilenetv2-12-fp32.onnx): node <c>472_fp</c> is the 1280-d pooled embedding, <c>output</c> the ImageNet logits.</summary>
    public static BackboneSpec MobileNetV2(string modelPath) => new()
    {
        ModelPath = modelPath,
        EmbeddingTensor = Fp32EmbeddingTensor,
        EmbeddingSize = 1280,
        LogitsTensor = "output",
        LogitsSize = 1000,
        Input = new InputSpec
        {
            Name = "input",
            Width = 224,
            Height = 224,
            ShortSide = 256,
            Scale = 1 / 255f,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
        },
    };

    /// <summary>
    /// MobileNetV2 int8 (mobilenetv2-12-int8.onnx, QLinear operators): the same network and preprocessing as
    /// <see cref="MobileNetV2"/>, its pooled embedding the uint8 tensor <c>472_quantized</c>, which the exported graphs
    /// dequantize (OnnxGraphEditor). With VNNI its backbone runs about 2.5 times as fast as the float32 model.
    /// </summary>
    public static BackboneSpec MobileNetV2Int8(string modelPath) => MobileNetV2(modelPath) with { EmbeddingTensor = Int8EmbeddingTensor };

    /// <summary>The float32 MobileNetV2's pooled 1280-d embedding, the input of its classifier's MatMul.</summary>
    public const string Fp32EmbeddingTensor = "472_fp";
    /// <summary>The int8 MobileNetV2's pooled 1280-d embedding, uint8 (the input of its classifier's QLinearMatMul).</summary>
    public const string Int8EmbeddingTensor = "472_quantized";

    /// <summary>The pooled embedding's tensor in a MobileNetV2 file: the int8 network's when the graph has it, else the float32 one's.</summary>
    public static string MobileNetV2EmbeddingOf(string modelPath) =>
        File.Exists(modelPath) && OnnxGraphEditor.Produces(File.ReadAllBytes(modelPath), Int8EmbeddingTensor) ? Int8EmbeddingTensor : Fp32EmbeddingTensor;

    /// <summary>
    /// The network of a model pack (<c>model.json</c> + <c>model.onnx</c>, as <c>cascade models pull</c> writes them), with
    /// <paramref name="embeddingTensor"/> ([batch, <paramref name="embeddingSize"/>]) as the embedding. The pack's input spec
    /// is the preprocessing; its output is the zero-shot logits when it is float logits, else there are none.
    /// </summary>
    public static BackboneSpec FromPack(string packDirectory, string embeddingTensor, int embeddingSize)
    {
        var manifestPath = Path.Combine(packDirectory, ModelManifest.FileName);
        if (!File.Exists(manifestPath)) throw new ArgumentException($"Backbone pack {packDirectory} has no {ModelManifest.FileName}.");
        var modelPath = Path.Combine(packDirectory, ModelManifest.ModelFileName);
        if (!File.Exists(modelPath)) throw new ArgumentException($"Backbone pack {packDirectory} has no {ModelManifest.ModelFileName}; run `cascade models pull` first.");
        var manifest = ModelManifest.Read(manifestPath);
        if (manifest.Form != PackForm.Whole || manifest.Input is null || manifest.Output is null)
            throw new ArgumentException($"Backbone pack {packDirectory} is a {manifest.Form.ToString().ToLowerInvariant()} pack; training starts from a whole pack (image to logits, as `cascade models pull` installs them).");
        if (manifest.Input.ElementType != TensorElement.Float32)
            throw new ArgumentException($"Backbone pack {packDirectory} takes {manifest.Input.ElementType} input; training feeds float32 (use the float32 model of the network).");
        if (embeddingSize < 1) throw new ArgumentException($"Embedding size must be positive, was {embeddingSize}.");
        var logits = manifest.Output.Kind == OutputKind.Logits;
        return new BackboneSpec
        {
            ModelPath = modelPath,
            EmbeddingTensor = embeddingTensor,
            EmbeddingSize = embeddingSize,
            LogitsTensor = logits ? manifest.Output.Name : null,
            LogitsSize = logits ? manifest.Output.Classes : 0,
            Input = manifest.Input,
        };
    }

    private string? _sha256;

    /// <summary>sha256 of the model file; part of every embedding cache key.</summary>
    public string Sha256 => _sha256 ??= ModelPack.Sha256Of(ModelPath);

    /// <summary>
    /// Cache namespace: the model's content, which of its tensors are stored and how images become its input (another
    /// short side or normalisation gives other embeddings for the same view key).
    /// </summary>
    public string CacheKey => $"{Sha256[..16]}-{Sanitize(EmbeddingTensor)}-{Sanitize(LogitsTensor ?? "none")}-{InputFingerprint}";

    private string InputFingerprint => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        $"{Input.Name}:{Input.Width}x{Input.Height}:{Input.ToResizeSpec()}:{Input.ColorOrder}:{Input.Scale}:{string.Join(',', Input.Mean)}:{string.Join(',', Input.Std)}")))[..8];

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
}
