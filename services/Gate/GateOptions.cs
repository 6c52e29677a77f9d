using Cascade.ServiceDefaults.Bus;

namespace Cascade.Gate;

/// <summary>Settings section <c>Gate</c>.</summary>
public sealed record GateOptions
{
    public const string Section = "Gate";
    public const string DefaultPack = "gate-mobilenetv2-int8";

    /// <summary>Pack name in the model directory, or a path to a pack folder.</summary>
    public string Pack { get; init; } = DefaultPack;
    /// <summary>Overrides the pack's own threshold when set.</summary>
    public float? Threshold { get; init; }
    public ConsumerLimits Endpoint { get; init; } = new();
}
