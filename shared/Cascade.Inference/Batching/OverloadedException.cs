using Cascade.Contracts.Errors;

namespace Cascade.Inference.Batching;

/// <summary>The queue in front of a model is full; the caller should back off and retry.</summary>
public sealed class OverloadedException(string model, int capacity)
    : CascadeException(ErrorKind.Overloaded, ErrorCodes.Overloaded, $"Model {model} is overloaded: {capacity} requests are already waiting. Retry later.");
