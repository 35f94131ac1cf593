namespace Rerank.Engine.Training;

/// <summary>One epoch of <see cref="TrainingLoop"/>: the mean training loss of its steps and the validation loss after it.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean of the steps' losses.</param>
/// <param name="ValidationLoss">The caller's validation loss after the epoch, or null without validation data.</param>
public readonly record struct EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss);
