using Cascade.Inference.Decisions;

namespace Cascade.Inference.Pipeline;

/// <summary>The in-process cascade's answer for one image.</summary>
public sealed record CascadeResult(Verdict Verdict, string? Label, GateOutcome Gate, ClassifierOutcome? Classifier, double TotalMs);
