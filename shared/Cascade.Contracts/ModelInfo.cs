namespace Cascade.Contracts;

/// <summary>Which model pack produced an answer.</summary>
public sealed record ModelInfo(string Name, string Version);
