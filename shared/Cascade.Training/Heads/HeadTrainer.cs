using System.Numerics.Tensors;

namespace Cascade.Training.Heads;

/// <summary>
/// Trains a <see cref="LinearHead"/> on embeddings in managed code: full-batch or mini-batch Adam with L2,
/// BCE/focal per sigmoid output or softmax cross-entropy. A linear layer on 1280 values needs no GPU:
/// an epoch over ~7,000 rows is a few milliseconds.
/// </summary>
public static class HeadTrainer
{
    public static LinearHead Train(LabelledEmbeddings train, LabelledEmbeddings? validation, HeadOptions options, HeadActivation activation,
        LinearHead? start = null, Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("No training rows.");
        var inputs = train.Features[0].Length;
        var outputs = train.Outputs;
        var head = start?.Clone() ?? new LinearHead(inputs, outputs, activation);
        if (head.Inputs != inputs || head.Outputs != outputs || head.Activation != activation)
            throw new ArgumentException($"Warm-start head is {head.Inputs}x{head.Outputs} {head.Activation}, data needs {inputs}x{outputs} {activation}.");

        var (rows, weights) = Balance(train, options.Balance);
        var parameters = new float[outputs * inputs + outputs];
        head.Weights.CopyTo(parameters, 0);
        head.Bias.CopyTo(parameters, outputs * inputs);
        var gradient = new float[parameters.Length];
        var adam = new AdamOptimizer(parameters.Length, options.LearningRate);
        var random = new Random(options.Seed);
        var batchSize = options.BatchSize == 0 ? rows.Length : Math.Min(options.BatchSize, rows.Length);

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (batchSize < rows.Length) random.Shuffle(rows);
            double epochLoss = 0, epochWeight = 0;
            for (var offset = 0; offset < rows.Length; offset += batchSize)
            {
                var batch = rows.AsSpan(offset, Math.Min(batchSize, rows.Length - offset)).ToArray();
                var (loss, weight) = Gradient(parameters, head, train, batch, weights, options, gradient);
                epochLoss += loss;
                epochWeight += weight;
                // L2 on the weights only, not the bias.
                TensorPrimitives.MultiplyAdd(parameters.AsSpan(0, outputs * inputs), options.L2, gradient.AsSpan(0, outputs * inputs), gradient.AsSpan(0, outputs * inputs));
                adam.Step(parameters, gradient);
            }
            if (onEpoch is not null)
            {
                Unpack(parameters, head);
                var (validationLoss, validationAccuracy) = validation is { Count: > 0 } ? Evaluate(head, validation, options) : (double.NaN, double.NaN);
                onEpoch(new EpochReport(epoch, options.Epochs, epochLoss / epochWeight,
                    validation is { Count: > 0 } ? validationLoss : null, validation is { Count: > 0 } ? validationAccuracy : null));
            }
        }
        Unpack(parameters, head);
        return head;
    }

    /// <summary>Weighted mean loss and decision accuracy (sigmoid: the best output above 0.5, else none; softmax: argmax).</summary>
    public static (double Loss, double Accuracy) Evaluate(LinearHead head, LabelledEmbeddings data, HeadOptions options)
    {
        var logits = new float[head.Outputs];
        double loss = 0, weight = 0;
        var correct = 0;
        for (var i = 0; i < data.Count; i++)
        {
            head.Logits(data.Features[i], logits);
            var rowLoss = RowLoss(logits, data.Targets[i], head.Activation, options, null);
            loss += rowLoss * data.Weights[i];
            weight += data.Weights[i];
            if (Decide(logits, head.Activation) == data.ClassOf(i)) correct++;
        }
        return (loss / weight, (double)correct / data.Count);
    }

    /// <summary>The class a head picks from its logits: an output index, or -1 for none.</summary>
    public static int Decide(ReadOnlySpan<float> logits, HeadActivation activation)
    {
        var best = TensorPrimitives.IndexOfMax(logits);
        return activation == HeadActivation.Softmax || logits[best] >= 0 ? best : -1;
    }

    private static (double Loss, double Weight) Gradient(float[] parameters, LinearHead shape, LabelledEmbeddings data, int[] batch, float[] weights,
        HeadOptions options, float[] gradient)
    {
        var inputs = shape.Inputs;
        var outputs = shape.Outputs;
        double totalWeight = 0;
        foreach (var row in batch) totalWeight += weights[row];

        // Rows split over the cores, each part summing into its own gradient buffer.
        var parts = Math.Clamp(batch.Length / 512, 1, Environment.ProcessorCount);
        var partial = new float[parts][];
        var partLoss = new double[parts];
        Parallel.For(0, parts, part =>
        {
            var g = partial[part] = new float[gradient.Length];
            var logits = new float[outputs];
            var logitGradient = new float[outputs];
            var w = parameters.AsSpan(0, outputs * inputs);
            for (var r = part; r < batch.Length; r += parts)
            {
                var row = batch[r];
                var x = data.Features[row];
                for (var j = 0; j < outputs; j++) logits[j] = TensorPrimitives.Dot(w.Slice(j * inputs, inputs), x) + parameters[outputs * inputs + j];
                var loss = RowLoss(logits, data.Targets[row], shape.Activation, options, logitGradient);
                var scale = (float)(weights[row] / totalWeight);
                partLoss[part] += loss * weights[row];
                for (var j = 0; j < outputs; j++)
                {
                    var gj = logitGradient[j] * scale;
                    if (gj == 0) continue;
                    var gRow = g.AsSpan(j * inputs, inputs);
                    TensorPrimitives.MultiplyAdd(x, gj, gRow, gRow);
                    g[outputs * inputs + j] += gj;
                }
            }
        });
        partial[0].CopyTo(gradient, 0);
        for (var p = 1; p < parts; p++) TensorPrimitives.Add(gradient, partial[p], gradient);
        return (partLoss.Sum(), totalWeight);
    }

    /// <summary>Loss of one row and, when <paramref name="logitGradient"/> is given, dLoss/dlogit per output.</summary>
    private static double RowLoss(ReadOnlySpan<float> logits, float[] target, HeadActivation activation, HeadOptions options, float[]? logitGradient)
    {
        double loss = 0;
        if (activation == HeadActivation.Softmax)
        {
            Span<float> p = stackalloc float[logits.Length];
            TensorPrimitives.SoftMax(logits, p);
            for (var j = 0; j < logits.Length; j++)
            {
                if (target[j] > 0) loss -= target[j] * Math.Log(Math.Max(p[j], 1e-12f));
                if (logitGradient is not null) logitGradient[j] = p[j] - target[j];
            }
            return loss;
        }
        for (var j = 0; j < logits.Length; j++)
        {
            var (l, g) = BinaryLoss.Evaluate(options.Loss, logits[j], target[j], options.FocalGamma, options.FocalAlpha);
            loss += l;
            if (logitGradient is not null) logitGradient[j] = (float)g;
        }
        return loss;
    }

    /// <summary>Row order for an epoch and the weight of each row, after class balancing.</summary>
    private static (int[] Rows, float[] Weights) Balance(LabelledEmbeddings data, ClassBalance balance)
    {
        var weights = data.Weights.ToArray();
        var rows = Enumerable.Range(0, data.Count).ToArray();
        if (balance == ClassBalance.None) return (rows, weights);

        var classes = rows.Select(r => data.ClassOf(r)).ToArray();
        var counts = classes.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        if (balance == ClassBalance.ClassWeights)
        {
            for (var r = 0; r < rows.Length; r++) weights[r] *= (float)data.Count / (counts.Count * counts[classes[r]]);
            return (rows, weights);
        }
        var largest = counts.Values.Max();
        var oversampled = rows.SelectMany(r => Enumerable.Repeat(r, (int)Math.Round((double)largest / counts[classes[r]]))).ToArray();
        return (oversampled, weights);
    }

    private static void Unpack(float[] parameters, LinearHead head)
    {
        parameters.AsSpan(0, head.Weights.Length).CopyTo(head.Weights);
        parameters.AsSpan(head.Weights.Length, head.Bias.Length).CopyTo(head.Bias);
    }
}
