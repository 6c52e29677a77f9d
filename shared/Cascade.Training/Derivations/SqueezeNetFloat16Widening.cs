using Cascade.Inference.Packs;
using Cascade.Training.Onnx;

namespace Cascade.Training.Derivations;

/// <summary>
/// <c>squeezenet-fp16-to-fp32</c>: the squeezenet1.1-fp32 pack's model, made from microsoft/Windows-Machine-Learning's
/// SqueezeNet_fp16.onnx by <see cref="Float16Widener"/> with a dynamic batch named <c>N</c>. The doc string is the
/// reference file's in ../shared/models, so the output is that file byte for byte.
/// </summary>
public sealed class SqueezeNetFloat16Widening : IModelDerivation
{
    public const string DocString = "SqueezeNet 1.1 (Caffe2 origin) from microsoft/Windows-Machine-Learning SharedContent/models/SqueezeNet_fp16.onnx, weights cast fp16->fp32";
    public const string BatchName = "N";

    public string Recipe => "squeezenet-fp16-to-fp32";

    public byte[] Derive(byte[] source) => ModelDerivations.ParsingOnnx(() => Float16Widener.Widen(source, DocString, BatchName));
}
