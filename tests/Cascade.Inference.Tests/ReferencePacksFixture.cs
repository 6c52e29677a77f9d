using Cascade.Inference.Pipeline;

namespace Cascade.Inference.Tests;

/// <summary>The default cascade (MobileNetV2 int8 gate, fp32 classifier), loaded once for a test class.</summary>
public sealed class ReferencePacksFixture : IAsyncLifetime
{
    public const string Gate = "gate-mobilenetv2-int8";
    public const string Classifier = "classifier-mobilenetv2-fp32";

    public CascadePipeline Pipeline { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Pipeline = SharedAssets.Store().CreatePipeline(Gate, Classifier);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Pipeline.DisposeAsync();
}
