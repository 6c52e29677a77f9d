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
    /// A model whose outputs are exactly <paramref name="tensors"/> (each [batch, width], float); nodes that no
    /// longer feed an output are removed.
    /// </summary>
    public static byte[] ExposeTensors(byte[] model, IReadOnlyList<(string Name, int Width)> tensors)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        foreach (var (name, _) in tensors) RequireProduced(graph, name);
        ReplaceOutputs(graph, tensors);
        PruneUnused(graph);
        return proto.ToByteArray();
    }

    /// <summary>
    /// The model with a Gemm (<c>logits = features · Wᵀ + b</c>) and <paramref name="outputName"/> as its only output.
    /// The features are the embedding tensor, followed by one log-probability per zero-shot group when
    /// <paramref name="features"/> names the backbone's own logits. <paramref name="weights"/> is row-major [outputs, features].
    /// </summary>
    public static byte[] AppendLinearHead(byte[] model, HeadFeatures features, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, string outputName)
    {
        var outputs = bias.Length;
        if (outputs == 0 || weights.Length != outputs * features.Size)
            throw new ArgumentException($"Weights ({weights.Length}) do not match {outputs} outputs x {features.Size} features.");

        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        RequireProduced(graph, features.EmbeddingTensor);
        var input = features.LogitsTensor is null ? features.EmbeddingTensor : AppendZeroShotFeatures(graph, features);
        var weightName = Unique(graph, "cascade_head.weight");
        var biasName = Unique(graph, "cascade_head.bias");
        graph.Initializer.Add(FloatTensor(weightName, [outputs, features.Size], weights));
        graph.Initializer.Add(FloatTensor(biasName, [outputs], bias));
        var gemm = AddNode(graph, "Gemm", [input, weightName, biasName], outputName);
        gemm.Attribute.Add(IntAttribute("transB", 1));
        ReplaceOutputs(graph, [(outputName, outputs)]);
        PruneUnused(graph);
        return proto.ToByteArray();
    }

    /// <summary>Concat(embedding, log Σ softmax(logits)[group] for each group): the same values as <see cref="HeadFeatures.Compute"/>.</summary>
    private static string AppendZeroShotFeatures(GraphProto graph, HeadFeatures features)
    {
        var logits = features.LogitsTensor!;
        RequireProduced(graph, logits);
        var all = AddNode(graph, "ReduceLogSumExp", [logits], Unique(graph, "cascade_zeroshot.lse_all"));
        all.Attribute.Add(IntsAttribute("axes", 1));
        all.Attribute.Add(IntAttribute("keepdims", 1));
        var parts = new List<string> { features.EmbeddingTensor };
        for (var g = 0; g < features.Groups.Count; g++)
        {
            var indices = Unique(graph, $"cascade_zeroshot.group{g}.indices");
            var index = new TensorProto { Name = indices, DataType = (int)TensorProto.Types.DataType.Int64 };
            index.Dims.Add(features.Groups[g].Length);
            index.Int64Data.Add(features.Groups[g].Select(i => (long)i));
            graph.Initializer.Add(index);
            var gather = AddNode(graph, "Gather", [logits, indices], Unique(graph, $"cascade_zeroshot.group{g}.logits"));
            gather.Attribute.Add(IntAttribute("axis", 1));
            var lse = AddNode(graph, "ReduceLogSumExp", [gather.Output[0]], Unique(graph, $"cascade_zeroshot.group{g}.lse"));
            lse.Attribute.Add(IntsAttribute("axes", 1));
            lse.Attribute.Add(IntAttribute("keepdims", 1));
            parts.Add(AddNode(graph, "Sub", [lse.Output[0], all.Output[0]], Unique(graph, $"cascade_zeroshot.group{g}.logp")).Output[0]);
        }
        var concat = AddNode(graph, "Concat", parts, Unique(graph, "cascade_head.features"));
        concat.Attribute.Add(IntAttribute("axis", 1));
        return concat.Output[0];
    }

    private static NodeProto AddNode(GraphProto graph, string opType, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { Name = Unique(graph, output + ".node"), OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(output);
        graph.Node.Add(node);
        return node;
    }

    private static AttributeProto IntAttribute(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static void RequireProduced(GraphProto graph, string tensor)
    {
        if (!graph.Node.Any(n => n.Output.Contains(tensor)))
            throw new ArgumentException($"No node of graph '{graph.Name}' produces tensor '{tensor}'.");
    }

    private static void ReplaceOutputs(GraphProto graph, IReadOnlyList<(string Name, int Width)> tensors)
    {
        graph.Output.Clear();
        foreach (var (name, width) in tensors)
        {
            // Keep the batch dimension symbolic, named like the input's, so any batch size runs.
            var batch = graph.Input.FirstOrDefault()?.Type?.TensorType?.Shape?.Dim.FirstOrDefault()?.Clone()
                        ?? new TensorShapeProto.Types.Dimension { DimParam = "batch" };
            var shape = new TensorShapeProto();
            shape.Dim.Add(batch);
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
            graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            });
            // Stale shape annotations for a new output would contradict it.
            foreach (var stale in graph.ValueInfo.Where(v => v.Name == name).ToList()) graph.ValueInfo.Remove(stale);
        }
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
