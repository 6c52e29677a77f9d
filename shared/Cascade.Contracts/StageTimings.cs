namespace Cascade.Contracts;

/// <summary>Milliseconds one image spent in one stage. <see cref="StageMs"/> is the consumer's whole time, claim-check fetch included.</summary>
public sealed record StageTimings(double PreprocessMs, double QueueMs, double InferenceMs, int BatchSize, double StageMs);
