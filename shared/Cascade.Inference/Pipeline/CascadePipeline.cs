using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Decisions;

namespace Cascade.Inference.Pipeline;

/// <summary>
/// Gate then classifier in one process (the CLI and benchmarks; the services run the same stages apart).
/// When the classifier's head reads the gate's backbone (<see cref="SharesBackbone"/>), the backbone runs once per image
/// and the classifier runs only its head on the gate's outputs. Otherwise, when both packs resize the same way, the image
/// is decoded once and shared.
/// </summary>
public sealed class CascadePipeline(GateStage gate, ClassifierStage classifier) : IAsyncDisposable
{
    private readonly bool _shareDecode = gate.Scorer.Pack.Resize == classifier.Scorer.Pack.Resize;

    public GateStage Gate { get; } = gate;
    public ClassifierStage Classifier { get; } = classifier;
    /// <summary>Both stages run on one backbone session (<see cref="Packs.ModelStore.CreatePipeline"/> shares it when the packs name the same model).</summary>
    public bool SharesBackbone { get; } = ReferenceEquals(gate.Scorer.Pack, classifier.Scorer.Pack);

    public async Task<CascadeResult> RunAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (SharesBackbone)
        {
            var (fusedGate, outputs) = await Gate.RunKeepingOutputsAsync(image, cancellationToken).ConfigureAwait(false);
            return Combine(fusedGate, fusedGate.Decision.Accepted ? Classifier.Run(outputs) : null, started);
        }
        if (!_shareDecode)
        {
            var gateOutcome = await Gate.RunAsync(image, cancellationToken).ConfigureAwait(false);
            var classifierOutcome = gateOutcome.Decision.Accepted ? await Classifier.RunAsync(image, cancellationToken).ConfigureAwait(false) : null;
            return Combine(gateOutcome, classifierOutcome, started);
        }

        // The shared decode is charged to the gate, which is where it happens in the services too.
        var (gateResult, decoded, _) = await Gate.RunKeepingDecodeAsync(image, cancellationToken).ConfigureAwait(false);
        using (decoded)
        {
            var classified = gateResult.Decision.Accepted ? await Classifier.RunAsync(decoded, cancellationToken).ConfigureAwait(false) : null;
            return Combine(gateResult, classified, started);
        }
    }

    private static CascadeResult Combine(GateOutcome gate, ClassifierOutcome? classifier, long started)
    {
        var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (classifier is null) return new CascadeResult(Verdict.NoObject, null, gate, null, totalMs);
        var label = classifier.Decision.Label;
        return new CascadeResult(label is null ? Verdict.Unknown : Verdict.Label, label, gate, classifier, totalMs);
    }

    public async ValueTask DisposeAsync()
    {
        await Gate.DisposeAsync().ConfigureAwait(false);
        await Classifier.DisposeAsync().ConfigureAwait(false);
    }
}
