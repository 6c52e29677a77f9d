using Cascade.PeerBenchmarks.Decisions;
using Cascade.PeerBenchmarks.Output;
using Cascade.PeerBenchmarks.Packs;
using Microsoft.ML.OnnxRuntime;
using NetVips;

namespace Cascade.PeerBenchmarks.PlainLoop;

/// <summary>
/// The job as a .NET developer writes it in an afternoon with the ONNX Runtime C# API and NetVips: batches of
/// <see cref="BatchSize"/> images decoded in parallel, the gate on the batch, the classifier on the accepted rows of it.
/// Sessions and libvips keep their default settings.
/// </summary>
public sealed class PlainLoopCascade : IDisposable
{
    public const int BatchSize = 16;

    private readonly PeerPack _gatePack;
    private readonly PeerPack _classifierPack;
    private readonly CascadeRule _rule;
    private readonly InferenceSession _gate;
    private readonly InferenceSession _classifier;
    private readonly VipsTensorWriter _tensorWriter;

    public PlainLoopCascade(PeerPack gate, PeerPack classifier, CascadeRule rule)
    {
        (_gatePack, _classifierPack, _rule) = (gate, classifier, rule);
        _gate = new InferenceSession(gate.ModelPath);
        _classifier = new InferenceSession(classifier.ModelPath);
        _tensorWriter = new VipsTensorWriter(gate.Input);
    }

    public IEnumerable<VerdictLine> Classify(IReadOnlyList<string> files)
    {
        var length = _gatePack.TensorLength;
        foreach (var batch in files.Chunk(BatchSize))
        {
            var tensors = new float[batch.Length * length];
            var errors = new string?[batch.Length];
            Parallel.For(0, batch.Length, i =>
            {
                try
                {
                    _tensorWriter.Write(batch[i], tensors.AsSpan(i * length, length));
                }
                catch (VipsException e)
                {
                    errors[i] = e.Message.ReplaceLineEndings(" ").Trim();
                }
            });
            var decoded = Enumerable.Range(0, batch.Length).Where(i => errors[i] is null).ToArray();
            var gateLogits = Run(_gate, _gatePack, tensors, length, decoded);
            var scores = new float[batch.Length];
            var gateClasses = _gatePack.Output.Classes;
            for (var row = 0; row < decoded.Length; row++) scores[decoded[row]] = _rule.GateScore(gateLogits.AsSpan(row * gateClasses, gateClasses));
            var accepted = decoded.Where(i => _rule.Accepts(scores[i])).ToArray();
            var classifierLogits = Run(_classifier, _classifierPack, tensors, length, accepted);
            var classes = _classifierPack.Output.Classes;
            for (var i = 0; i < batch.Length; i++)
            {
                var row = Array.IndexOf(accepted, i);
                yield return errors[i] is { } error ? VerdictLine.Failed(batch[i], error)
                    : row < 0 ? VerdictLine.NoObject(batch[i], scores[i])
                    : _rule.Classify(batch[i], scores[i], classifierLogits.AsSpan(row * classes, classes));
            }
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _classifier.Dispose();
    }

    /// <summary>The model on the images <paramref name="rows"/> of <paramref name="tensors"/> as one batch; their logits, row after row.</summary>
    private static float[] Run(InferenceSession session, PeerPack pack, float[] tensors, int length, int[] rows)
    {
        if (rows.Length == 0) return [];
        var batch = rows.Length == tensors.Length / length ? tensors : new float[rows.Length * length];
        if (batch != tensors)
            for (var r = 0; r < rows.Length; r++) tensors.AsSpan(rows[r] * length, length).CopyTo(batch.AsSpan(r * length, length));
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [rows.Length, 3, pack.Input.Height, pack.Input.Width]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [pack.Input.Name], [input], [pack.Output.Name]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
