using Rerank.Evaluation.OffPolicy;

namespace Rerank.Evaluation.Results;

/// <summary>How a run's off-policy estimates were made (<c>evaluation.off_policy</c>), and what was skipped.</summary>
/// <param name="Reward">The per-position reward summed: <c>clicks</c>, <c>conversions</c> or <c>gmv</c>.</param>
/// <param name="Level">Coverage of the intervals.</param>
/// <param name="BootstrapSamples">Bootstrap resamples behind each interval.</param>
/// <param name="Clip">The importance-weight cap.</param>
/// <param name="MinEss">Estimates with a smaller effective sample size are flagged.</param>
/// <param name="Notes">One line per estimator skipped, naming what the data lacks.</param>
public sealed record OffPolicySettings(string Reward, double Level, int BootstrapSamples, double Clip, double MinEss, IReadOnlyList<string> Notes);

/// <summary>One seed's estimate of a pipeline's value, and the exact value where the dataset knows it.</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Estimate">The estimate, its interval, effective sample size and clipping.</param>
/// <param name="Truth">The exact expected reward of the pipeline's slates (the simulator's list model); null when unknown.</param>
public sealed record OffPolicyRun(ulong Seed, OffPolicyEstimate Estimate, double? Truth);

/// <summary>A pipeline's estimates by one estimator, one per seed, and their summary over seeds.</summary>
/// <param name="Estimator">The estimator's name (IPS, SNIPS, …).</param>
/// <param name="Runs">One per seed, in seed order (at least one).</param>
public sealed record OffPolicyCell(string Estimator, IReadOnlyList<OffPolicyRun> Runs)
{
    /// <summary>The estimate (mean over seeds).</summary>
    public double Value => Runs.Average(r => r.Estimate.Value);

    /// <summary>The sample standard deviation of the estimate over seeds; null with one seed.</summary>
    public double? Std => Runs.Count > 1 ? Experiments.SeedAggregate.SampleStd([.. Runs.Select(r => r.Estimate.Value)]) : null;

    /// <summary>The interval's lower end (mean over seeds).</summary>
    public double Low => Runs.Average(r => r.Estimate.Low);

    /// <summary>The interval's upper end (mean over seeds).</summary>
    public double High => Runs.Average(r => r.Estimate.High);

    /// <summary>The effective sample size (the smallest over seeds).</summary>
    public double EffectiveSampleSize => Runs.Min(r => r.Estimate.EffectiveSampleSize);

    /// <summary>Weights clipped (summed over seeds).</summary>
    public int Clipped => Runs.Sum(r => r.Estimate.Clipped);

    /// <summary>Logged requests (summed over seeds).</summary>
    public int Requests => Runs.Sum(r => r.Estimate.Requests);

    /// <summary>The exact value (mean over seeds); null when any seed's is unknown.</summary>
    public double? Truth => Runs.All(r => r.Truth is not null) ? Runs.Average(r => r.Truth!.Value) : null;

    /// <summary>Estimate − truth (mean over seeds); null without truth.</summary>
    public double? Bias => Truth is { } t ? Value - t : null;

    /// <summary>How many seeds' intervals hold their truth; null without truth.</summary>
    public int? Covered => Truth is null ? null : Runs.Count(r => r.Estimate.Low <= r.Truth && r.Truth <= r.Estimate.High);

    /// <summary>Whether some seed's effective sample size is below <paramref name="minEss"/>.</summary>
    public bool TooFewSamples(double minEss) => EffectiveSampleSize < minEss;
}
