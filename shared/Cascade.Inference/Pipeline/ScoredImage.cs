namespace Cascade.Inference.Pipeline;

/// <summary>A stage's probabilities for one image, the backbone outputs they came from, and where the time went.</summary>
public readonly record struct ScoredImage(float[] Probabilities, BackboneOutputs Outputs, StageTiming Timing);
