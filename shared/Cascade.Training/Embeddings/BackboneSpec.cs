using Cascade.Inference.Packs;

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
    public required InputSpec Input { get; init; }

    /// <summary>MobileNetV2 float32 (mobilenetv2-12-fp32.onnx): node <c>472_fp</c> is the 1280-d pooled embedding.</summary>
    public static BackboneSpec MobileNetV2(string modelPath) => new()
    {
        ModelPath = modelPath,
        EmbeddingTensor = "472_fp",
        EmbeddingSize = 1280,
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

    private string? _sha256;

    /// <summary>sha256 of the model file; part of every embedding cache key.</summary>
    public string Sha256 => _sha256 ??= ModelPack.Sha256Of(ModelPath);
}
