using System.Numerics.Tensors;

namespace Cascade.Training.Onnx;

/// <summary>
/// What a trained head sees: the backbone's embedding, optionally followed by zero-shot features - the log of
/// the backbone's own softmax probability summed over each group of its classes (ImageNet's bear classes for
/// the gate). The pretrained classifier and a head trained on few images miss different images, so the head
/// gets both; the ONNX export builds the same features from the same tensors. With <see cref="MirrorAverage"/>
/// the backbone's outputs are first averaged over the image and its horizontal mirror (test-time augmentation).
/// </summary>
public sealed record HeadFeatures(string EmbeddingTensor, int EmbeddingSize, string? LogitsTensor, int LogitsSize, IReadOnlyList<int[]> Groups,
    bool MirrorAverage = false)
{
    public int Size => EmbeddingSize + (LogitsTensor is null ? 0 : Groups.Count);

    /// <summary>The backbone tensors the head reads, in order: the embedding, then the logits when used.</summary>
    public IReadOnlyList<(string Name, int Width)> Tensors =>
        LogitsTensor is null ? [(EmbeddingTensor, EmbeddingSize)] : [(EmbeddingTensor, EmbeddingSize), (LogitsTensor, LogitsSize)];

    /// <summary>Backbone outputs one image needs: the embedding, then the logits when used.</summary>
    public int RawSize => EmbeddingSize + (LogitsTensor is null ? 0 : LogitsSize);

    /// <summary>Head features from one image's raw backbone outputs (<see cref="RawSize"/> values: embedding then logits).</summary>
    public float[] Compute(ReadOnlySpan<float> raw)
    {
        var features = new float[Size];
        raw[..EmbeddingSize].CopyTo(features);
        if (LogitsTensor is null) return features;
        var logits = raw.Slice(EmbeddingSize, LogitsSize);
        var all = LogSumExp(logits, null);
        for (var g = 0; g < Groups.Count; g++) features[EmbeddingSize + g] = (float)(LogSumExp(logits, Groups[g]) - all);
        return features;
    }

    /// <summary>Head features of an image seen as a mirror-averaging pack sees it: from the mean of its and its mirror's raw outputs.</summary>
    public float[] Compute(ReadOnlySpan<float> raw, ReadOnlySpan<float> mirrored)
    {
        var mean = new float[raw.Length];
        TensorPrimitives.Add(raw, mirrored, mean);
        TensorPrimitives.Multiply(mean, 0.5f, mean);
        return Compute(mean);
    }

    private static double LogSumExp(ReadOnlySpan<float> values, int[]? indices)
    {
        var max = double.NegativeInfinity;
        var count = indices?.Length ?? values.Length;
        for (var i = 0; i < count; i++) max = Math.Max(max, values[indices?[i] ?? i]);
        double sum = 0;
        for (var i = 0; i < count; i++) sum += Math.Exp(values[indices?[i] ?? i] - max);
        return max + Math.Log(sum);
    }
}
