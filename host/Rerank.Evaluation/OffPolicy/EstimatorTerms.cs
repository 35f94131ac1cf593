using Rerank.Evaluation.Metrics;
using Rerank.Runtime.Randomness;

namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// The per-request, per-column terms of an estimator (one column for slate-wise estimators, one per position for
/// position-wise ones): the value each request adds to a column and the importance weight behind it. It clips weights,
/// and turns the terms into an estimate, a percentile bootstrap interval over requests and the effective sample size.
/// </summary>
internal sealed class EstimatorTerms(int requests, int columns, double clip)
{
    private readonly double[,] _values = new double[requests, columns];
    private readonly double[,] _weights = new double[requests, columns];

    /// <summary>How many weights were above the clip threshold.</summary>
    public int Clipped { get; private set; }

    /// <summary>The weight as used: min(weight, clip), counting the ones clipped.</summary>
    public double Weigh(double weight)
    {
        if (weight > clip)
        {
            Clipped++;
            return clip;
        }

        return weight;
    }

    /// <summary>Sets request <paramref name="request"/>'s term in <paramref name="column"/>: its value and its (clipped) weight.</summary>
    public void Set(int request, int column, double value, double weight)
    {
        _values[request, column] = value;
        _weights[request, column] = weight;
    }

    /// <summary>V̂ = (1/n) Σ_i Σ_c value_ic, with the bootstrap interval of that mean over requests.</summary>
    public OffPolicyEstimate Mean(string estimator, OffPolicyOptions options)
    {
        var totals = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            for (var c = 0; c < columns; c++)
            {
                totals[i] += _values[i, c];
            }
        }

        var interval = PairedBootstrap.Interval(totals, options.BootstrapSamples, options.Level, options.Seed);
        return new OffPolicyEstimate(estimator, interval.Mean, interval.Low, interval.High, requests, EffectiveSampleSize(), clip, Clipped);
    }

    /// <summary>
    /// V̂ = Σ_c (Σ_i value_ic / Σ_i weight_ic), a column whose weights sum to 0 adding 0; the interval resamples the
    /// requests (as <see cref="PairedBootstrap"/> does, same generator and draws) and recomputes the ratios. A resample is
    /// kept as how often each request was drawn, and only requests with a non-zero term are read.
    /// </summary>
    public OffPolicyEstimate SelfNormalised(string estimator, OffPolicyOptions options)
    {
        var active = new List<int>();
        for (var i = 0; i < requests; i++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (_values[i, c] != 0 || _weights[i, c] != 0)
                {
                    active.Add(i);
                    break;
                }
            }
        }

        var counts = new int[requests];
        Array.Fill(counts, 1);
        var value = Ratio(counts, active);
        var rng = new SeededRandom(options.Seed);
        var estimates = new double[options.BootstrapSamples];
        for (var b = 0; b < estimates.Length; b++)
        {
            Array.Clear(counts);
            for (var i = 0; i < requests; i++)
            {
                counts[rng.NextInt(requests)]++;
            }

            estimates[b] = Ratio(counts, active);
        }

        Array.Sort(estimates);
        var alpha = 1 - options.Level;
        var low = PairedBootstrap.Quantile(estimates, alpha / 2);
        var high = PairedBootstrap.Quantile(estimates, 1 - (alpha / 2));
        return new OffPolicyEstimate(estimator, value, low, high, requests, EffectiveSampleSize(), clip, Clipped);
    }

    /// <summary>Σ_c (Σ_i count_i value_ic / Σ_i count_i weight_ic) over the <paramref name="active"/> requests.</summary>
    private double Ratio(int[] counts, List<int> active)
    {
        var total = 0.0;
        for (var c = 0; c < columns; c++)
        {
            var values = 0.0;
            var weights = 0.0;
            foreach (var i in active)
            {
                values += counts[i] * _values[i, c];
                weights += counts[i] * _weights[i, c];
            }

            total += weights == 0 ? 0 : values / weights;
        }

        return total;
    }

    /// <summary>The smallest over columns of (Σ_i w_ic)² / Σ_i w_ic² (0 for a column of zero weights).</summary>
    private double EffectiveSampleSize()
    {
        var smallest = double.PositiveInfinity;
        for (var c = 0; c < columns; c++)
        {
            var sum = 0.0;
            var squares = 0.0;
            for (var i = 0; i < requests; i++)
            {
                sum += _weights[i, c];
                squares += _weights[i, c] * _weights[i, c];
            }

            smallest = Math.Min(smallest, squares > 0 ? sum * sum / squares : 0);
        }

        return smallest;
    }
}
