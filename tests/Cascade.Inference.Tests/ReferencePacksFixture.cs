using Cascade.Inference.Pipeline;

namespace Cascade.Inference.Tests;

/// <summary>A gate and a classifier pack loaded once for a test class, as one in-process cascade.</summary>
public abstract class CascadePacksFixture(string gate, string classifier) : IAsyncLifetime
{
    public string Classifier { get; } = classifier;
    public CascadePipeline Pipeline { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Pipeline = SharedAssets.Store().CreatePipeline(gate, Classifier);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Pipeline.DisposeAsync();
}

/// <summary>The reference pair: MobileNetV2 int8 gate, fp32 classifier (two models per accepted image).</summary>
public sealed class ReferencePacksFixture() : CascadePacksFixture(Gate, "classifier-mobilenetv2-fp32")
{
    public const string Gate = "gate-mobilenetv2-int8";
}

/// <summary>The fused zero-shot pair: the same gate, and a classifier head on the gate's own ImageNet logits (one model per image).</summary>
public sealed class FusedZeroShotPacksFixture() : CascadePacksFixture(ReferencePacksFixture.Gate, "classifier-mobilenetv2-int8-head");
