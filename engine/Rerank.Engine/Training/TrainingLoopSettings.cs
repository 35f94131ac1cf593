using Rerank.Engine.Optim;

namespace Rerank.Engine.Training;

/// <summary>How <see cref="TrainingLoop"/> trains.</summary>
/// <param name="Epochs">Passes over the training examples.</param>
/// <param name="BatchSize">Examples per step (the last step of an epoch takes the rest).</param>
/// <param name="Adam">The optimizer's hyper-parameters (learning rate, betas, ε, weight decay).</param>
/// <param name="ClipNorm">Gradients are scaled down to this global L2 norm before each step; 0 turns clipping off.</param>
/// <param name="KeepBest">Early stopping: the weights of the epoch with the lowest validation loss are restored at the end.</param>
/// <param name="NonFinite">What a NaN or infinity does to training.</param>
public sealed record TrainingLoopSettings(
    int Epochs,
    int BatchSize,
    AdamOptions Adam,
    float ClipNorm = 0f,
    bool KeepBest = false,
    NonFinitePolicy NonFinite = NonFinitePolicy.Throw)
{
    /// <summary>Throws on a setting out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentNullException.ThrowIfNull(Adam);
        Adam.Validate();
        if (!(ClipNorm >= 0f) || float.IsPositiveInfinity(ClipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipNorm), $"Clip norm must be 0 (off) or a positive finite number, got {ClipNorm}.");
        }
    }
}

/// <summary>What <see cref="TrainingLoop"/> does when a loss or a gradient stops being finite.</summary>
public enum NonFinitePolicy
{
    /// <summary>A non-finite training loss ends training with <see cref="TrainingDivergedException"/> naming the epoch and step.</summary>
    Throw,

    /// <summary>A step whose gradient norm is not finite is skipped (the weights stay as they were) and training goes on; needs clipping on.</summary>
    SkipStep,
}
