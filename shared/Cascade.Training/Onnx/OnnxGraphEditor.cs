using Cascade.Training.Onnx.Proto;
using Google.Protobuf;

namespace Cascade.Training.Onnx;

/// <summary>
/// Edits serialized ONNX models: exposes an inner tensor (the backbone embedding) as the graph's output,
/// or appends a trained linear head after it so backbone and head ship as one graph with the original input.
/// </summary>
public static class OnnxGraphEditor
{
    /// <summary>
    /// A model whose only output is <paramref name="tensor"/> ([batch, <paramref name="width"/>], float);
    /// nodes that no longer feed an output (the ImageNet classifier) are removed.
    /// </summary>
    public static byte[] ExposeTensor(byte[] model, string tensor, int width)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        RequireProduced(graph, tensor);
        ReplaceOutputs(graph, tensor, width);
        PruneUnused(graph);
        return proto.ToByteArray();
    }

    /// <summary>
    /// The model with a Gemm (<c>logits = tensor · Wᵀ + b</c>) after <paramref name="tensor"/> and
    /// <paramref name="outputName"/> as its only output. <paramref name="weights"/> is row-major [outputs, inputs].
    /// </summary>
    public static byte[] AppendLinearHead(byte[] model, string tensor, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, string outputName)
    {
        var outputs = bias.Length;
        if (outputs == 0 || weights.Length % outputs != 0) throw new ArgumentException($"Weights ({weights.Length}) are not a multiple of the {outputs} outputs.");
        var inputs = weights.Length / outputs;

        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        RequireProduced(graph, tensor);
        var weightName = Unique(graph, "cascade_head.weight");
        var biasName = Unique(graph, "cascade_head.bias");
        graph.Initializer.Add(FloatTensor(weightName, [outputs, inputs], weights));
        graph.Initializer.Add(FloatTensor(biasName, [outputs], bias));
        var gemm = new NodeProto { Name = Unique(graph, "cascade_head"), OpType = "Gemm" };
        gemm.Input.Add([tensor, weightName, biasName]);
        gemm.Output.Add(outputName);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gemm);
        ReplaceOutputs(graph, outputName, outputs);
        PruneUnused(graph);
        return proto.ToByteArray();
    }

    private static void RequireProduced(GraphProto graph, string tensor)
    {
        if (!graph.Node.Any(n => n.Output.Contains(tensor)))
            throw new ArgumentException($"No node of graph '{graph.Name}' produces tensor '{tensor}'.");
    }

    private static void ReplaceOutputs(GraphProto graph, string tensor, int width)
    {
        // Keep the batch dimension symbolic, named like the input's, so any batch size runs.
        var batch = graph.Input.FirstOrDefault()?.Type?.TensorType?.Shape?.Dim.FirstOrDefault()?.Clone()
                    ?? new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        var shape = new TensorShapeProto();
        shape.Dim.Add(batch);
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto
        {
            Name = tensor,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        });
        // Stale shape annotations for the new output would contradict it.
        foreach (var stale in graph.ValueInfo.Where(v => v.Name == tensor).ToList()) graph.ValueInfo.Remove(stale);
    }

    /// <summary>Drops nodes and initializers that no graph output depends on (nodes are topologically sorted in ONNX).</summary>
    private static void PruneUnused(GraphProto graph)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name));
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (var input in node.Input) needed.Add(input);
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.Add(kept);
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.Add(initializers);
        var valueInfo = graph.ValueInfo.Where(v => needed.Contains(v.Name)).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.Add(valueInfo);
    }

    private static TensorProto FloatTensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        // raw_data is little-endian, which every platform .NET runs ONNX Runtime on is.
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        return tensor;
    }

    private static string Unique(GraphProto graph, string name)
    {
        var taken = new HashSet<string>(graph.Node.SelectMany(n => n.Output.Append(n.Name)).Concat(graph.Initializer.Select(t => t.Name)));
        var candidate = name;
        for (var i = 1; taken.Contains(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
