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
    /// <summary>
    /// Forward the gate's decode of accepted images to the classifier (through the claim-check store), so that a
    /// classifier on another backbone that resizes the same way does not decode again. Off by default: the default and
    /// trained classifiers are heads on the gate's backbone, read <see cref="ForwardBackbone"/>'s outputs and never use
    /// the decode, which then costs a claim-check write and delete per accepted image for nothing.
    /// </summary>
    public bool ForwardPixels { get; init; }
    /// <summary>
    /// Send the gate's backbone outputs of accepted images with the classifier's command (a few KB inline), so that a
    /// classifier whose head reads the gate's backbone runs only that head. Off: the classifier always runs its backbone.
    /// </summary>
    public bool ForwardBackbone { get; init; } = true;
    public ConsumerLimits Endpoint { get; init; } = new();
}
