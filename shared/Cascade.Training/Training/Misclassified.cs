namespace Cascade.Training.Training;

/// <summary>
/// A test image a head got wrong: the classifier's argmax picked another label, or the gate accepted a negative or
/// rejected an object (<see cref="Score"/> is then the gate's score, to set against its threshold).
/// </summary>
public sealed record Misclassified(string Path, string Expected, string Predicted, float? Score = null);
