using Cascade.Training.Onnx.Proto;
using Google.Protobuf;

namespace Cascade.Training.Onnx;

/// <summary>
/// Edits serialized ONNX models: exposes inner tensors (the backbone embedding and logits) as the graph's outputs, appends
/// a trained linear head after them so backbone and head ship as one graph with the original input, or builds the head
/// alone as a graph on those tensors (a backbone pack plus head packs).
/// </summary>
public static class OnnxGraphEditor
{
    /// <summary>
    /// The model with a Gemm (<c>logits = features · Wᵀ + b</c>) and <paramref name="outputName"/> as its only output: a whole
    /// pack's model. The features are the embedding tensor, followed by one log-probability per zero-shot group when
    /// <paramref name="features"/> names the backbone's own logits. <paramref name="weights"/> is row-major [outputs, features].
    /// With <see cref="HeadFeatures.MirrorAverage"/> the backbone tensors the head reads are averaged over each image
    /// and its horizontal mirror (<see cref="AppendMirrorAverage"/>).
    /// </summary>
    public static byte[] AppendLinearHead(byte[] model, HeadFeatures features, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, string outputName)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        features = features with
        {
            EmbeddingTensor = AsFloat(graph, features.EmbeddingTensor),
            LogitsTensor = features.LogitsTensor is null ? null : AsFloat(graph, features.LogitsTensor),
        };
        if (features.MirrorAverage)
        {
            var averaged = AppendMirrorAverage(graph, features.Tensors);
            features = features with { EmbeddingTensor = averaged[0], LogitsTensor = features.LogitsTensor is null ? null : averaged[1] };
        }
        AppendHead(graph, features, weights, bias, outputName);
        return proto.ToByteArray();
    }

    /// <summary>
    /// A model whose outputs are exactly <paramref name="tensors"/> (each [batch, width]; the training extractor's model, a
    /// backbone pack's), as float (a quantized tensor dequantized: <see cref="AsFloat"/>); nodes that no longer feed an
    /// output are removed. With <paramref name="mirrorAverage"/>
    /// each output is the mean over the image and its horizontal mirror (<see cref="AppendMirrorAverage"/>).
    /// Returns the model and its output names, in the order of <paramref name="tensors"/>.
    /// </summary>
    public static (byte[] Model, IReadOnlyList<string> Outputs) ExposeTensors(byte[] model, IReadOnlyList<(string Name, int Width)> tensors, bool mirrorAverage = false)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        tensors = tensors.Select(t => (AsFloat(graph, t.Name), t.Width)).ToList();
        var outputs = mirrorAverage ? AppendMirrorAverage(graph, tensors) : tensors.Select(t => t.Name).ToList();
        ReplaceOutputs(graph, outputs.Select((name, i) => (name, tensors[i].Width)).ToList());
        PruneUnused(graph);
        return (proto.ToByteArray(), outputs);
    }

    /// <summary>Whether a node of <paramref name="model"/> produces <paramref name="tensor"/>.</summary>
    public static bool Produces(byte[] model, string tensor) => ModelProto.Parser.ParseFrom(model).Graph.Node.Any(n => n.Output.Contains(tensor));

    /// <summary>
    /// A head pack's model: graph inputs named like the backbone pack's tensors <paramref name="features"/> reads (the
    /// embedding, then the logits when it has zero-shot groups), the zero-shot features and the Gemm, with the opset and IR
    /// version of <paramref name="backboneModel"/> (the same operators as <see cref="AppendLinearHead"/>, so the same values).
    /// </summary>
    public static byte[] LinearHeadModel(byte[] backboneModel, HeadFeatures features, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, string outputName)
    {
        if (features.MirrorAverage) throw new ArgumentException("A head graph reads a backbone's tensors; the mirror average belongs in the backbone pack.");
        var proto = ModelProto.Parser.ParseFrom(backboneModel);
        var graph = proto.Graph;
        var batch = graph.Input.First(i => graph.Initializer.All(t => t.Name != i.Name)).Type.TensorType.Shape.Dim[0].Clone();
        graph.Node.Clear();
        graph.Initializer.Clear();
        graph.ValueInfo.Clear();
        graph.Input.Clear();
        graph.Output.Clear();
        graph.Name = "cascade_head";
        foreach (var (name, width) in features.Tensors)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(batch.Clone());
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
            graph.Input.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            });
        }
        AppendHead(graph, features, weights, bias, outputName);
        return proto.ToByteArray();
    }

    /// <summary>The zero-shot features (when used) and the Gemm after the tensors <paramref name="features"/> names; <paramref name="outputName"/> becomes the only output.</summary>
    private static void AppendHead(GraphProto graph, HeadFeatures features, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, string outputName)
    {
        var outputs = bias.Length;
        if (outputs == 0 || weights.Length != outputs * features.Size)
            throw new ArgumentException($"Weights ({weights.Length}) do not match {outputs} outputs x {features.Size} features.");
        var input = features.LogitsTensor is null ? features.EmbeddingTensor : AppendZeroShotFeatures(graph, features);
        var weightName = Unique(graph, "cascade_head.weight");
        var biasName = Unique(graph, "cascade_head.bias");
        graph.Initializer.Add(OnnxTensorData.Float(weightName, [outputs, features.Size], weights));
        graph.Initializer.Add(OnnxTensorData.Float(biasName, [outputs], bias));
        var gemm = AddNode(graph, "Gemm", [input, weightName, biasName], outputName);
        gemm.Attribute.Add(IntAttribute("transB", 1));
        ReplaceOutputs(graph, [(outputName, outputs)]);
        PruneUnused(graph);
    }

    /// <summary>
    /// Test-time augmentation in the graph: the backbone runs once on a batch of 2N, the N input images followed by
    /// their horizontal mirrors (Slice with step -1 on the width axis), and each of <paramref name="tensors"/> becomes the
    /// mean of an image's two rows. Returns the averaged tensors' names, in order.
    /// </summary>
    private static List<string> AppendMirrorAverage(GraphProto graph, IReadOnlyList<(string Name, int Width)> tensors)
    {
        var input = graph.Input.Single(i => graph.Initializer.All(t => t.Name != i.Name)).Name;
        var consumers = graph.Node.Where(n => n.Input.Contains(input)).ToList();
        var starts = Int64Initializer(graph, "cascade_mirror.starts", -1);
        var ends = Int64Initializer(graph, "cascade_mirror.ends", long.MinValue);
        var axes = Int64Initializer(graph, "cascade_mirror.axes", 3);
        var steps = Int64Initializer(graph, "cascade_mirror.steps", -1);
        var mirrored = NewNode(graph, "Slice", [input, starts, ends, axes, steps], Unique(graph, "cascade_mirror.mirrored"));
        var both = NewNode(graph, "Concat", [input, mirrored.Output[0]], Unique(graph, "cascade_mirror.batch"));
        both.Attribute.Add(IntAttribute("axis", 0));
        foreach (var node in consumers)
            for (var i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == input) node.Input[i] = both.Output[0];
        // Nodes are topologically sorted: the new ones go before every node that reads the input.
        graph.Node.Insert(0, both);
        graph.Node.Insert(0, mirrored);

        string Average(string tensor, int width)
        {
            // [2N, width] -> [2, N, width] -> mean over the first axis: row i and row N + i are image i and its mirror.
            var shape = Int64Initializer(graph, $"cascade_mirror.{tensor}.shape", 2, -1, width);
            var pairs = AddNode(graph, "Reshape", [tensor, shape], Unique(graph, $"cascade_mirror.{tensor}.pairs"));
            var mean = AddNode(graph, "ReduceMean", [pairs.Output[0]], Unique(graph, $"cascade_mirror.{tensor}.mean"));
            mean.Attribute.Add(IntsAttribute("axes", 0));
            mean.Attribute.Add(IntAttribute("keepdims", 0));
            return mean.Output[0];
        }
        return tensors.Select(t => Average(t.Name, t.Width)).ToList();
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
            var indices = Int64Initializer(graph, $"cascade_zeroshot.group{g}.indices", features.Groups[g].Select(i => (long)i).ToArray());
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

    /// <summary>
    /// <paramref name="tensor"/> as float. A quantized tensor of a QLinear graph (the int8 MobileNetV2's pooled embedding
    /// <c>472_quantized</c>, uint8) is read the way the graph itself reads it: through its DequantizeLinear when it has
    /// one, else through a new DequantizeLinear with the scale and zero point its QLinear consumer reads it with, so a head
    /// sees exactly the values the backbone's own classifier computes from. Returns the float tensor's name.
    /// </summary>
    private static string AsFloat(GraphProto graph, string tensor)
    {
        RequireProduced(graph, tensor);
        var dequantized = graph.Node.FirstOrDefault(n => n.OpType == "DequantizeLinear" && n.Input[0] == tensor);
        if (dequantized is not null) return dequantized.Output[0];
        // QLinear operators take (x, x_scale, x_zero_point, ...) for their first input, as DequantizeLinear does.
        var consumer = graph.Node.FirstOrDefault(n => n.OpType.StartsWith("QLinear", StringComparison.Ordinal) && n.Input.Count >= 3 && n.Input[0] == tensor);
        if (consumer is null) return tensor;
        var dequantize = NewNode(graph, "DequantizeLinear", [tensor, consumer.Input[1], consumer.Input[2]], Unique(graph, tensor + "_dequantized"));
        var producer = graph.Node.ToList().FindIndex(n => n.Output.Contains(tensor)); // -1: a graph input
        graph.Node.Insert(producer + 1, dequantize);
        return dequantize.Output[0];
    }

    private static NodeProto AddNode(GraphProto graph, string opType, IEnumerable<string> inputs, string output)
    {
        var node = NewNode(graph, opType, inputs, output);
        graph.Node.Add(node);
        return node;
    }

    /// <summary>A node not yet in the graph (the caller places it).</summary>
    private static NodeProto NewNode(GraphProto graph, string opType, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { Name = Unique(graph, output + ".node"), OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static string Int64Initializer(GraphProto graph, string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(graph, name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
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
        if (!graph.Node.Any(n => n.Output.Contains(tensor)) && graph.Input.All(i => i.Name != tensor))
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

    private static string Unique(GraphProto graph, string name)
    {
        var taken = new HashSet<string>(graph.Node.SelectMany(n => n.Output.Append(n.Name)).Concat(graph.Initializer.Select(t => t.Name)));
        var candidate = name;
        for (var i = 1; taken.Contains(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
