using Cascade.Training.Heads;

namespace Cascade.Training.Training;

public enum TrainingStage
{
    Scanning,
    Embedding,
    TrainingGate,
    MiningHardNegatives,
    TrainingClassifier,
    Calibrating,
    Exporting,
    Done,
}

/// <summary>
/// A console-friendly progress event: a bar per <see cref="Stage"/> at <see cref="Completed"/> of <see cref="Total"/>,
/// with <see cref="Message"/> as its description (epochs carry loss and validation accuracy in <see cref="Epoch"/>).
/// </summary>
public sealed record TrainingProgress(TrainingStage Stage, int Completed, int Total, string Message, EpochReport? Epoch = null);
