namespace Cascade.PeerBenchmarks;

/// <summary>Something given from outside (an argument, a manifest, a model file, a JSON line) is wrong; the message names it.</summary>
public sealed class PeerInputException(string message) : Exception(message);
