namespace Cascade.Training.Heads;

/// <summary>Per-output binary losses on a logit and their derivatives with respect to that logit.</summary>
public static class BinaryLoss
{
    /// <summary>Loss and dLoss/dz for logit <paramref name="z"/> and target <paramref name="y"/> (0 or 1).</summary>
    public static (double Loss, double Gradient) Evaluate(LossKind kind, double z, double y, double gamma = 2, double? alpha = null)
    {
        // With s = ±1 for y = 1/0, the probability of the true class is p_t = σ(s·z); log p_t = −softplus(−s·z) is stable.
        var s = y >= 0.5 ? 1.0 : -1.0;
        var logPt = -Softplus(-s * z);
        var pt = Math.Exp(logPt);
        var alphaT = alpha is { } a ? (s > 0 ? a : 1 - a) : 1.0;
        if (kind == LossKind.BinaryCrossEntropy)
            return (-alphaT * logPt, alphaT * s * (pt - 1));

        // Focal: L = −α_t (1 − p_t)^γ log p_t;  dL/dz = α_t · s · (1 − p_t)^γ · (γ · p_t · log p_t − (1 − p_t)).
        var oneMinus = 1 - pt;
        var modulator = Math.Pow(oneMinus, gamma);
        var loss = -alphaT * modulator * logPt;
        var gradient = alphaT * s * modulator * (gamma * pt * logPt - oneMinus);
        return (loss, gradient);
    }

    private static double Softplus(double x) => x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x));
}
