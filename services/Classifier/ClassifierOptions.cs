using Cascade.ServiceDefaults.Bus;

namespace Cascade.Classifier;

/// <summary>Settings section <c>Classifier</c>.</summary>
public sealed record ClassifierOptions
{
    public const string Section = "Classifier";
    public const string DefaultPack = "classifier-mobilenetv2-int8-head";

    /// <summary>Pack name in the model directory, or a path to a pack folder.</summary>
    public string Pack { get; init; } = DefaultPack;
    public ConsumerLimits Endpoint { get; init; } = new();
}
