namespace Rerank.Abstractions;

/// <summary>A progress report from training.</summary>
/// <param name="Component">The component being trained.</param>
/// <param name="Epoch">Current epoch (from 1).</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">Latest training loss.</param>
public readonly record struct TrainProgress(string Component, int Epoch, int Epochs, int Step, int Steps, double Loss);

/// <summary>Training and validation loss at the end of one epoch.</summary>
/// <param name="Epoch">Epoch (from 1).</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="ValidationLoss">Validation loss, or <see langword="null"/> without validation data.</param>
public readonly record struct EpochLoss(int Epoch, double TrainLoss, double? ValidationLoss);

/// <summary>What training produced: the loss curve and the time it took.</summary>
/// <param name="Curve">Loss per epoch.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record TrainResult(IReadOnlyList<EpochLoss> Curve, TimeSpan Elapsed);
