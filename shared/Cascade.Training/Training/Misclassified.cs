namespace Cascade.Training.Training;

/// <summary>A labelled test image the classifier's argmax got wrong.</summary>
public sealed record Misclassified(string Path, string Expected, string Predicted);
