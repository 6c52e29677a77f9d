using Cascade.Inference.Packs;
using Cascade.Training.Onnx;

namespace Cascade.Training.Export;

/// <summary>A backbone pack <see cref="PackExporter.ExportBackbone"/> wrote: its tensors are the embedding, then the logits when exported.</summary>
public sealed record BackbonePack(string Directory, ModelManifest Manifest, bool MirrorAverage)
{
    /// <summary><paramref name="features"/> as a head graph reads them from this pack: its tensor names, the mirror average done already.</summary>
    public HeadFeatures Read(HeadFeatures features)
    {
        var tensors = Manifest.Tensors!;
        if (features.LogitsTensor is not null && tensors.Count < 2)
            throw new ArgumentException($"Backbone pack {Directory} has no logits tensor for the head's zero-shot features.");
        return features with { EmbeddingTensor = tensors[0].Name, LogitsTensor = features.LogitsTensor is null ? null : tensors[1].Name, MirrorAverage = false };
    }
}
