namespace Cascade.Contracts;

/// <summary>
/// The queues the stage commands (<see cref="GateImage"/>, <see cref="ClassifyImage"/>) are sent to, each shared by
/// every instance of its service (competing consumers). Commands are sent to their queue rather than published,
/// so they wait there when the service is not up yet instead of being dropped for want of a subscriber.
/// </summary>
public static class CommandQueues
{
    public const string Gate = "cascade-gate";
    public const string Classifier = "cascade-classifier";

    public static Uri GateAddress { get; } = new($"queue:{Gate}");
    public static Uri ClassifierAddress { get; } = new($"queue:{Classifier}");
}
