namespace Rerank.Evaluation.OffPolicy;

/// <summary>How an off-policy estimate is computed: weight clipping and the bootstrap interval.</summary>
public sealed record OffPolicyOptions
{
    /// <summary>
    /// The largest importance weight used: every weight above it is replaced by it before use (in the estimate, the
    /// self-normalising sums and the effective sample size). +∞ (the default) clips nothing; clipping trades bias for
    /// variance. It caps from above only: the pseudo-inverse estimator's negative weights are left as they are.
    /// </summary>
    public double Clip { get; init; } = double.PositiveInfinity;

    /// <summary>Bootstrap resamples of the requests behind the interval (at least 1).</summary>
    public int BootstrapSamples { get; init; } = 1000;

    /// <summary>Coverage of the percentile bootstrap interval, in (0, 1).</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Seed of the bootstrap resampling: the same log, options and seed give the same interval.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws if an option is out of range.</summary>
    public void Validate()
    {
        if (!(Clip > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Clip), Clip, "The clip threshold must be above 0 (+∞ for no clipping).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BootstrapSamples, 1, nameof(BootstrapSamples));
        if (!(Level > 0 && Level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Level), Level, "The interval level must be in (0, 1).");
        }
    }
}
