namespace Rerank.Plugins.Common;

/// <summary>
/// How <see cref="MinibatchLoop"/> trains: epochs, mini-batch size, Adam's learning rate, the global gradient-norm clip
/// (0: none), and whether the weights of the epoch with the lowest validation loss are restored at the end.
/// </summary>
/// <param name="Epochs">Passes over the training examples.</param>
/// <param name="BatchSize">Examples per step (the last step of an epoch takes the rest).</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="ClipNorm">Gradients are scaled down to this global L2 norm before each step; 0 turns clipping off.</param>
/// <param name="KeepBest">Early stopping: restore the weights of the epoch with the lowest validation loss (<see cref="BestWeights"/>).</param>
public sealed record MinibatchSettings(int Epochs, int BatchSize, float LearningRate, float ClipNorm, bool KeepBest = false);
