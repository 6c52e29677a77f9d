namespace Cascade.Training.Heads;

/// <summary>One epoch of head training: mean training loss and, with a validation set, its loss and decision accuracy.</summary>
public readonly record struct EpochReport(int Epoch, int Epochs, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy);
