namespace Cascade.Inference.Batching;

/// <summary>Where one image's time went inside a model: waiting for its batch, then the model call it shared.</summary>
public readonly record struct BatchTiming(double QueueMs, double InferenceMs, int BatchSize);
