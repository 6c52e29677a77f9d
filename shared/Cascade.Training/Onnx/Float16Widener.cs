using Cascade.Training.Onnx.Proto;
using Google.Protobuf;
using DataType = Cascade.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace Cascade.Training.Onnx;

/// <summary>
/// Widens a float16 ONNX model to float32 (every float16 is exactly a float32, so the weights are the same
/// numbers) and makes its batch dimension dynamic. Initializers stop being listed as graph inputs (allowed from
/// IR version 4, which the model is raised to), and the float16 value_info shapes are dropped, since they
/// state the old type and batch. Everything else is kept as parsed. Only models whose operators are the same
/// in either precision qualify; a Cast node (a mixed-precision model) is refused.
/// </summary>
public static class Float16Widener
{
    private const int InitializersNeedNotBeInputs = 4;

    /// <param name="batchName">The <c>dim_param</c> that replaces the first dimension of the graph's inputs and outputs.</param>
    public static byte[] Widen(byte[] model, string docString, string batchName)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        if (graph.Node.FirstOrDefault(n => n.OpType == "Cast") is { } cast)
            throw new InvalidDataException($"Node '{cast.Name}' is a Cast: a mixed-precision model cannot be widened as a whole.");
        foreach (var tensor in graph.Initializer.Where(t => (DataType)t.DataType == DataType.Float16).ToList())
        {
            var widened = OnnxTensorData.Float(tensor.Name, tensor.Dims, OnnxTensorData.Halves(tensor).Select(h => (float)h).ToArray());
            graph.Initializer[graph.Initializer.IndexOf(tensor)] = widened;
        }
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.Add(inputs);
        foreach (var value in graph.Input.Concat(graph.Output)) Widen(value, batchName);
        graph.ValueInfo.Clear();
        proto.IrVersion = Math.Max(proto.IrVersion, InitializersNeedNotBeInputs);
        proto.DocString = docString;
        return proto.ToByteArray();
    }

    private static void Widen(ValueInfoProto value, string batchName)
    {
        var tensor = value.Type?.TensorType ?? throw new InvalidDataException($"Graph input/output '{value.Name}' is not a tensor.");
        if (tensor.ElemType == (int)DataType.Float16) tensor.ElemType = (int)DataType.Float;
        if (tensor.Shape is { Dim.Count: > 0 } shape) shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = batchName };
    }
}
