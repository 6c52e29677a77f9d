using Cascade.Inference.Packs;
using Google.Protobuf;

namespace Cascade.Training.Derivations;

/// <summary>The recipes that pack manifests' <c>model.derivedFrom.recipe</c> may name (packs/README.md).</summary>
public static class ModelDerivations
{
    public static IReadOnlyList<IModelDerivation> All { get; } = [new MobileNetV2Int8Dequantization(), new SqueezeNetFloat16Widening()];

    /// <summary>A file that is not protobuf at all is the same failure as an ONNX model the recipe cannot handle.</summary>
    internal static byte[] ParsingOnnx(Func<byte[]> derive)
    {
        try
        {
            return derive();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"not an ONNX model ({e.Message})", e);
        }
    }
}
