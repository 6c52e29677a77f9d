namespace Cascade.Contracts;

public sealed record LabelScore(string Label, double Score, double Threshold);
