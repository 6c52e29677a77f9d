namespace Cascade.Inference.Packs;

/// <summary>
/// A recipe that makes a pack's model from an upstream model file. It must be deterministic (same input bytes,
/// same output bytes), because the pack pins the sha256 of its output. Implementations live where the ONNX
/// protobuf types are (Cascade.Training); <see cref="PackPuller"/> only knows them by <see cref="Recipe"/>.
/// </summary>
public interface IModelDerivation
{
    /// <summary>The name a manifest's <c>model.derivedFrom.recipe</c> uses.</summary>
    string Recipe { get; }

    /// <summary>The derived model's bytes; <see cref="InvalidDataException"/> when the input is not a model the recipe handles.</summary>
    byte[] Derive(byte[] source);
}
