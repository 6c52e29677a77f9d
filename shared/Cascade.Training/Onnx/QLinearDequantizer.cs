using Cascade.Training.Onnx.Proto;
using Google.Protobuf;

namespace Cascade.Training.Onnx;

/// <summary>
/// Rewrites a QLinear-quantized ONNX model (the ONNX Runtime quantizer's QLinearConv / QLinearAdd /
/// QLinearMatMul form, as in the Model Zoo's mobilenetv2-12-int8) into float32 with standard ops only:
/// every quantized weight becomes <c>(q - zero_point) * scale</c>, every bias <c>q * x_scale * w_scale</c>, and
/// every quantized activation keeps the range its uint8 could hold as a <c>Clip(lo, hi)</c> (that range is where
/// the quantized network's ReLU6s went). The Gemm at the end (QLinearMatMul + QLinearAdd of the bias) is not
/// clipped: its range would saturate the logits as the int8 model's do (at about 28.8).
/// Only the operators such a model holds are accepted; anything else is refused with its name, because a
/// partial rewrite would give a model that loads and answers wrongly. Deterministic: the same input gives the
/// same bytes (no dictionaries or clocks decide any order).
/// </summary>
public static class QLinearDequantizer
{
    private const string Quantized = "_quantized";

    /// <param name="model">The quantized model's bytes.</param>
    /// <param name="identity">Producer, doc string and graph name written into the new model.</param>
    public static byte[] Dequantize(byte[] model, OnnxModelIdentity identity)
    {
        var source = ModelProto.Parser.ParseFrom(model);
        var graph = source.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        var rewrite = new Rewrite(graph);
        foreach (var node in graph.Node) rewrite.Add(node);

        var target = new GraphProto { Name = identity.GraphName };
        target.Node.Add(rewrite.Nodes);
        target.Initializer.Add(rewrite.Initializers);
        target.Input.Add(graph.Input.Where(i => !rewrite.IsInitializer(i.Name)).Select(i => i.Clone()));
        target.Output.Add(graph.Output.Select(o => o.Clone()));
        var result = new ModelProto { IrVersion = source.IrVersion, ProducerName = identity.ProducerName, DocString = identity.DocString, Graph = target };
        // Opset 13: Clip takes its bounds as inputs (11+), and nothing here is newer.
        result.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return result.ToByteArray();
    }

    /// <summary>The state of one rewrite: the float graph so far and the quantized tensor each float tensor replaces.</summary>
    private sealed class Rewrite(GraphProto graph)
    {
        private readonly Dictionary<string, TensorProto> initializers = graph.Initializer.ToDictionary(t => t.Name);
        private readonly Dictionary<string, NodeProto> producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        // Quantized tensor -> float tensor. Tensors that a DequantizeLinear turns into a graph output take that output's name.
        private readonly Dictionary<string, string> floats = [];
        private readonly HashSet<string> graphOutputs = graph.Output.Select(o => o.Name).ToHashSet();

        public List<NodeProto> Nodes { get; } = [];
        public List<TensorProto> Initializers { get; } = [];

        public bool IsInitializer(string name) => initializers.ContainsKey(name);

        public void Add(NodeProto node)
        {
            switch (node.OpType, node.Domain)
            {
                case ("QuantizeLinear", ""):
                    // The graph input, quantized: in float it is the input held to the same range.
                    Clipped(node.Input[0], node.Output[0], node.Input[1], node.Input[2]);
                    break;
                case ("QLinearConv", ""):
                    {
                        var inputs = new List<string> { Float(node.Input[0]), Weight(node.Input[3], node.Input[4], node.Input[5], axis: 0) };
                        if (node.Input.Count > 8) inputs.Add(ConvBias(node.Input[8], node.Input[1], node.Input[4]));
                        var conv = Emit("Conv", inputs, PreClip(node.Output[0]));
                        conv.Attribute.Add(node.Attribute.Select(a => a.Clone()));
                        Clipped(conv.Output[0], node.Output[0], node.Input[6], node.Input[7]);
                        break;
                    }
                case ("QLinearAdd", "com.microsoft") when IsInitializer(node.Input[3]):
                    // The bias of a Gemm split into QLinearMatMul + QLinearAdd: logits, not clipped.
                    Emit("Add", [Float(node.Input[0]), Weight(node.Input[3], node.Input[4], node.Input[5], axis: 0)], Unclipped(node.Output[0]));
                    break;
                case ("QLinearAdd", "com.microsoft"):
                    Emit("Add", [Float(node.Input[0]), Float(node.Input[3])], PreClip(node.Output[0]));
                    Clipped(PreClip(node.Output[0]), node.Output[0], node.Input[6], node.Input[7]);
                    break;
                case ("QLinearGlobalAveragePool", "com.microsoft"):
                    if (node.Attribute.Any(a => a.Name == "channels_last" && a.I != 0)) throw Unsupported(node, "channels_last layout");
                    Emit("GlobalAveragePool", [Float(node.Input[0])], PreClip(node.Output[0]));
                    Clipped(PreClip(node.Output[0]), node.Output[0], node.Input[3], node.Input[4]);
                    break;
                case ("QLinearMatMul", ""):
                    Emit("MatMul", [Float(node.Input[0]), Weight(node.Input[3], node.Input[4], node.Input[5], axis: 1)], Unclipped(node.Output[0]));
                    break;
                case ("Reshape", ""):
                    // PyTorch's flatten, exported as Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])).
                    RequireFlattenShape(node);
                    var flatten = Emit("Flatten", [Float(node.Input[0])], Unclipped(node.Output[0]));
                    flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    break;
                case ("DequantizeLinear", ""):
                    // To a graph output: already emitted under the output's name. Otherwise it only feeds the
                    // shape arithmetic of a flatten, which Flatten does itself.
                    if (!graphOutputs.Contains(node.Output[0]) && !OnlyFeedsShapes(node.Output[0])) throw Unsupported(node, "a DequantizeLinear inside the graph");
                    break;
                case ("Shape" or "Gather" or "Unsqueeze" or "Concat", "") when OnlyFeedsShapes(node.Output[0]):
                    break;
                default:
                    throw Unsupported(node, $"operator {(node.Domain == "" ? "" : node.Domain + ".")}{node.OpType}");
            }
        }

        private NodeProto Emit(string opType, IEnumerable<string> inputs, string output)
        {
            var node = new NodeProto { OpType = opType };
            node.Input.Add(inputs);
            node.Output.Add(output);
            Nodes.Add(node);
            return node;
        }

        /// <summary><c>Clip(value, lo, hi)</c> with the range a quantized tensor can represent, named for it.</summary>
        private void Clipped(string value, string quantizedOutput, string scaleName, string zeroPointName)
        {
            var name = Base(quantizedOutput) + "_fp";
            var scale = Scalar(OnnxTensorData.Floats(Initializer(scaleName)), scaleName);
            var zeroPointTensor = Initializer(zeroPointName);
            var zeroPoint = Scalar(OnnxTensorData.Integers(zeroPointTensor), zeroPointName);
            var (min, max) = (TensorProto.Types.DataType)zeroPointTensor.DataType switch
            {
                TensorProto.Types.DataType.Uint8 => (0, 255),
                TensorProto.Types.DataType.Int8 => (-128, 127),
                _ => throw new InvalidDataException($"Zero point '{zeroPointName}' is neither uint8 nor int8."),
            };
            // float32 arithmetic, as ONNX's DequantizeLinear defines it.
            Initializers.Add(OnnxTensorData.Float(name + "_lo", [], [((float)min - zeroPoint) * scale]));
            Initializers.Add(OnnxTensorData.Float(name + "_hi", [], [((float)max - zeroPoint) * scale]));
            Emit("Clip", [value, name + "_lo", name + "_hi"], name);
            floats[quantizedOutput] = name;
        }

        private string PreClip(string quantizedOutput) => Base(quantizedOutput) + "_fp_preclip";

        private string Unclipped(string quantizedOutput)
        {
            var toOutput = graph.Node.FirstOrDefault(n => n.OpType == "DequantizeLinear" && n.Input[0] == quantizedOutput && graphOutputs.Contains(n.Output[0]));
            var name = toOutput?.Output[0] ?? Base(quantizedOutput) + "_fp";
            floats[quantizedOutput] = name;
            return name;
        }

        private string Float(string quantized) =>
            floats.TryGetValue(quantized, out var name) ? name : throw new InvalidDataException($"Tensor '{quantized}' is used before a supported operator produced it.");

        /// <summary>A quantized weight, dequantized per tensor or per channel along <paramref name="axis"/>.</summary>
        private string Weight(string quantizedName, string scaleName, string zeroPointName, int axis)
        {
            var tensor = Initializer(quantizedName);
            var values = OnnxTensorData.Integers(tensor);
            var scales = OnnxTensorData.Floats(Initializer(scaleName));
            var zeroPoints = OnnxTensorData.Integers(Initializer(zeroPointName));
            var channelOf = ChannelIndex(tensor, scales.Length, axis, quantizedName);
            var result = new float[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var c = channelOf(i);
                result[i] = ((float)values[i] - zeroPoints[zeroPoints.Length == 1 ? 0 : c]) * scales[c];
            }
            return AddFloat(quantizedName, tensor, result);
        }

        /// <summary>An int32 conv bias, whose scale is the input's times the weight's (per output channel).</summary>
        private string ConvBias(string quantizedName, string inputScaleName, string weightScaleName)
        {
            var tensor = Initializer(quantizedName);
            var values = OnnxTensorData.Integers(tensor);
            var inputScale = Scalar(OnnxTensorData.Floats(Initializer(inputScaleName)), inputScaleName);
            var weightScales = OnnxTensorData.Floats(Initializer(weightScaleName));
            if (weightScales.Length != 1 && weightScales.Length != values.Length)
                throw new InvalidDataException($"Bias '{quantizedName}' has {values.Length} values but weight scale '{weightScaleName}' has {weightScales.Length}.");
            // The scale product in double, then one rounding to float32: the reference fp32 file was made so,
            // and the pack's pinned sha256 depends on it (float32 products differ in the last bit for some).
            var result = values.Select((q, i) => (float)(q * ((double)inputScale * weightScales[weightScales.Length == 1 ? 0 : i]))).ToArray();
            return AddFloat(quantizedName, tensor, result);
        }

        private string AddFloat(string quantizedName, TensorProto source, float[] values)
        {
            var name = Base(quantizedName) + "_fp";
            Initializers.Add(OnnxTensorData.Float(name, source.Dims, values));
            return name;
        }

        private static Func<int, int> ChannelIndex(TensorProto tensor, int channels, int axis, string name)
        {
            if (channels == 1) return _ => 0;
            if (axis >= tensor.Dims.Count || tensor.Dims[axis] != channels)
                throw new InvalidDataException($"Weight '{name}' [{string.Join(",", tensor.Dims)}] has {channels} scales, which match no channel axis {axis}.");
            var inner = tensor.Dims.Skip(axis + 1).Aggregate(1L, (a, d) => a * d);
            return i => (int)(i / inner % channels);
        }

        private void RequireFlattenShape(NodeProto reshape)
        {
            bool Is(string tensor, string opType, out NodeProto node) => producers.TryGetValue(tensor, out node!) && node.OpType == opType;
            var ok = Is(reshape.Input[1], "Concat", out var concat) && concat.Input.Count == 2
                && Is(concat.Input[0], "Unsqueeze", out var unsqueeze)
                && Is(unsqueeze.Input[0], "Gather", out var gather) && IsInitializer(gather.Input[1]) && OnnxTensorData.Integers64(Initializer(gather.Input[1])) is [0]
                && Is(gather.Input[0], "Shape", out _)
                && IsInitializer(concat.Input[1]) && OnnxTensorData.Integers64(Initializer(concat.Input[1])) is [-1];
            if (!ok) throw Unsupported(reshape, "a Reshape other than flatten to [batch, -1]");
        }

        private bool OnlyFeedsShapes(string tensor)
        {
            var consumers = graph.Node.Where(n => n.Input.Contains(tensor)).ToList();
            return consumers.Count > 0 && consumers.All(n => n.OpType switch
            {
                "Shape" or "Gather" or "Unsqueeze" or "Concat" => OnlyFeedsShapes(n.Output[0]),
                "Reshape" => n.Input[1] == tensor,
                _ => false,
            });
        }

        private TensorProto Initializer(string name) =>
            initializers.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"'{name}' is not an initializer; only constant quantization parameters are supported.");

        private static T Scalar<T>(T[] values, string name) =>
            values.Length == 1 ? values[0] : throw new InvalidDataException($"'{name}' has {values.Length} values; a per-tensor scalar was expected.");

        private static string Base(string quantized) => quantized.EndsWith(Quantized, StringComparison.Ordinal) ? quantized[..^Quantized.Length] : quantized;

        private static InvalidDataException Unsupported(NodeProto node, string what) =>
            new($"Cannot dequantize node '{node.Name}': {what} is not supported.");
    }
}
