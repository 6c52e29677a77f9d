using System.Numerics.Tensors;

namespace Cascade.Training.Heads;

/// <summary>logits = W·x + b on one embedding; W is row-major [Outputs, Inputs] (the ONNX Gemm layout with transB).</summary>
public sealed class LinearHead
{
    public LinearHead(int inputs, int outputs, HeadActivation activation)
    {
        if (inputs < 1 || outputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), $"A head needs inputs and outputs, got {inputs}x{outputs}.");
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Weights = new float[inputs * outputs];
        Bias = new float[outputs];
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public HeadActivation Activation { get; }
    public float[] Weights { get; }
    public float[] Bias { get; }

    public ReadOnlySpan<float> Row(int output) => Weights.AsSpan(output * Inputs, Inputs);

    public void Logits(ReadOnlySpan<float> embedding, Span<float> logits)
    {
        for (var j = 0; j < Outputs; j++) logits[j] = TensorPrimitives.Dot(Row(j), embedding) + Bias[j];
    }

    /// <summary>Probabilities: the activation applied to the logits.</summary>
    public float[] Scores(ReadOnlySpan<float> embedding)
    {
        var scores = new float[Outputs];
        Logits(embedding, scores);
        if (Activation == HeadActivation.Softmax) TensorPrimitives.SoftMax(scores, scores);
        else TensorPrimitives.Sigmoid(scores, scores);
        return scores;
    }

    public LinearHead Clone()
    {
        var copy = new LinearHead(Inputs, Outputs, Activation);
        Weights.CopyTo(copy.Weights, 0);
        Bias.CopyTo(copy.Bias, 0);
        return copy;
    }
}
