using Cascade.Inference.Packs;
using Cascade.Training.Onnx;

namespace Cascade.Training.Derivations;

/// <summary>
/// <c>mobilenetv2-int8-to-fp32</c>: the float32 MobileNetV2 of the classifier-mobilenetv2-fp32 pack, made from the ONNX
/// Model Zoo's mobilenetv2-12-int8.onnx by <see cref="QLinearDequantizer"/>. The identity strings are those of
/// the reference file in ../shared/models (made by a script, dequant_mbv2.py, that is not in this repository):
/// with them the output is that file byte for byte, so the one sha256 in the pack holds for a mirror import and
/// for a derivation alike.
/// </summary>
public sealed class MobileNetV2Int8Dequantization : IModelDerivation
{
    public static readonly OnnxModelIdentity Identity = new(
        "dequant_mbv2.py",
        "fp32 standard-op rewrite of ONNX Model Zoo mobilenetv2-12-int8.onnx (weights dequantized; activation ranges kept as Clip)",
        "mobilenetv2_dequantized_fp32");

    public string Recipe => "mobilenetv2-int8-to-fp32";

    public byte[] Derive(byte[] source) => ModelDerivations.ParsingOnnx(() => QLinearDequantizer.Dequantize(source, Identity));
}
