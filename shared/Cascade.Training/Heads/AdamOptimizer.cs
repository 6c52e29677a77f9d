using System.Numerics.Tensors;

namespace Cascade.Training.Heads;

/// <summary>Adam (Kingma and Ba 2015) over one flat parameter vector; L2 is added to the gradient by the caller.</summary>
public sealed class AdamOptimizer(int parameters, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
{
    private readonly float[] _m = new float[parameters];
    private readonly float[] _v = new float[parameters];
    private readonly float[] _scratch = new float[parameters];
    private int _step;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        _step++;
        // m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²
        TensorPrimitives.Multiply(_m, beta1, _m);
        TensorPrimitives.MultiplyAdd(gradient, 1 - beta1, _m, _m);
        TensorPrimitives.Multiply(_v, beta2, _v);
        TensorPrimitives.Multiply(gradient, gradient, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, 1 - beta2, _v, _v);
        var correction1 = 1 - MathF.Pow(beta1, _step);
        var correction2 = 1 - MathF.Pow(beta2, _step);
        var rate = learningRate * MathF.Sqrt(correction2) / correction1;
        // θ −= rate · m / (√v + ε)
        TensorPrimitives.Sqrt(_v, _scratch);
        TensorPrimitives.Add(_scratch, epsilon * MathF.Sqrt(correction2), _scratch);
        TensorPrimitives.Divide(_m, _scratch, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, -rate, parameters, parameters);
    }
}
