using Cascade.Inference.Packs;

namespace Cascade.Inference.Pipeline;

/// <summary>
/// One image's output row of <see cref="Backbone"/> (its tensors side by side), kept by the stage that ran the backbone for
/// a next stage whose head reads the same backbone: that stage then runs only its head.
/// </summary>
public sealed record BackboneOutputs(ModelPack Backbone, float[] Row);
