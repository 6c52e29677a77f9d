namespace Cascade.Inference.Packs;

/// <summary>A model pack that cannot be used: bad manifest, missing model, wrong hash, or a manifest that disagrees with the model.</summary>
public sealed class ModelPackException(string message, Exception? inner = null) : Exception(message, inner);
