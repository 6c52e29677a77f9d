using Cascade.Inference.Batching;

namespace Cascade.Inference.Pipeline;

/// <summary>Milliseconds one image spent in one stage: preprocessing, waiting for a batch, the model call.</summary>
public readonly record struct StageTiming(double PreprocessMs, double QueueMs, double InferenceMs, int BatchSize)
{
    public double TotalMs => PreprocessMs + QueueMs + InferenceMs;

    public static StageTiming From(double preprocessMs, BatchTiming batch) => new(preprocessMs, batch.QueueMs, batch.InferenceMs, batch.BatchSize);
}
