using Rerank.Runtime.Randomness;

namespace Rerank.Evaluation.Metrics;

/// <summary>
/// The percentile bootstrap of a mean: <c>B</c> resamples of the n values drawn with replacement (xoshiro256** under a
/// seed, so the same input gives the same interval), the mean of each, and the interval between the α/2 and 1 − α/2
/// quantiles of those means (linear interpolation between order statistics, "type 7"). For paired per-request
/// differences (row − reference) it is the interval of the mean difference over requests.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>The mean of <paramref name="values"/> and its <paramref name="level"/> percentile bootstrap interval.</summary>
    /// <param name="values">One value per request (e.g. a paired difference); at least one.</param>
    /// <param name="samples">Bootstrap resamples B (at least 1).</param>
    /// <param name="level">Coverage of the interval, in (0, 1); 0.95 for a 95% interval.</param>
    /// <param name="seed">Seed of the resampling.</param>
    public static BootstrapInterval Interval(ReadOnlySpan<double> values, int samples, double level, ulong seed)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("the bootstrap needs at least one value", nameof(values));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        }

        var n = values.Length;
        var rng = new SeededRandom(seed);
        var means = new double[samples];
        for (var b = 0; b < samples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += values[rng.NextInt(n)];
            }

            means[b] = sum / n;
        }

        Array.Sort(means);
        var alpha = 1 - level;
        return new BootstrapInterval(Mean(values), Quantile(means, alpha / 2), Quantile(means, 1 - (alpha / 2)), n);
    }

    /// <summary>The <paramref name="p"/>-quantile of ascending <paramref name="sorted"/> values, interpolating linearly between order statistics.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((h - low) * (sorted[high] - sorted[low]));
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }
}

/// <summary>A mean with its bootstrap interval.</summary>
/// <param name="Mean">The mean of the values.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Count">How many values (requests) it is over.</param>
public readonly record struct BootstrapInterval(double Mean, double Low, double High, int Count)
{
    /// <summary>Whether the interval contains 0 (the difference is not significant at its level).</summary>
    public bool IncludesZero => Low <= 0 && High >= 0;
}
