namespace Rerank.Abstractions;

/// <summary>Seed, progress sink and cancellation for one training run.</summary>
public sealed class TrainingContext
{
    /// <summary>Creates a context.</summary>
    public TrainingContext(ulong seed, IProgress<TrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        Seed = seed;
        Progress = progress;
        Cancellation = cancellation;
    }

    /// <summary>Seed for initialisation, shuffling and dropout.</summary>
    public ulong Seed { get; }

    /// <summary>Where progress goes (may be <see langword="null"/>).</summary>
    public IProgress<TrainProgress>? Progress { get; }

    /// <summary>Cancelled when the user stops the run.</summary>
    public CancellationToken Cancellation { get; }
}
