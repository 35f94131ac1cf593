using Rerank.Evaluation.Metrics;
using Rerank.Runtime.Randomness;

namespace Rerank.Evaluation.Tests.Metrics;

/// <summary>The percentile bootstrap against known cases: a constant, a direct reimplementation under the same seed, and normal theory.</summary>
public sealed class PairedBootstrapTests
{
    [Fact]
    public void Interval_ConstantDifference_ZeroWidthAtThatValue()
    {
        var values = Enumerable.Repeat(0.25, 64).ToArray();

        var interval = PairedBootstrap.Interval(values, 1000, 0.95, seed: 7);

        interval.ShouldBe(new BootstrapInterval(0.25, 0.25, 0.25, 64));
        interval.IncludesZero.ShouldBeFalse();
    }

    [Fact]
    public void Interval_AllZero_IncludesZero()
    {
        PairedBootstrap.Interval(new double[10], 200, 0.95, seed: 1).IncludesZero.ShouldBeTrue();
    }

    [Fact]
    public void Interval_FixedSeed_EqualsAStraightforwardReference()
    {
        var rng = new SeededRandom(99);
        var values = Enumerable.Range(0, 37).Select(_ => rng.NextGaussian() + (rng.NextDouble() < 0.2 ? 3 : 0)).ToArray();

        var interval = PairedBootstrap.Interval(values, 500, 0.9, seed: 12345);

        var (low, high) = Reference(values, 500, 0.9, 12345);
        interval.Mean.ShouldBe(values.Average(), 1e-15);
        interval.Low.ShouldBe(low, 1e-15);
        interval.High.ShouldBe(high, 1e-15);
        interval.Count.ShouldBe(37);
    }

    [Fact]
    public void Interval_LargeNormalSample_AgreesWithNormalTheory()
    {
        // n = 4000 draws of N(0.3, 1): the 95% interval of the mean is about mean ± 1.96·s/√n (half-width ≈ 0.031).
        var rng = new SeededRandom(2026);
        var values = Enumerable.Range(0, 4000).Select(_ => 0.3 + rng.NextGaussian()).ToArray();
        var mean = values.Average();
        var s = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        var half = 1.959964 * s / Math.Sqrt(values.Length);

        var interval = PairedBootstrap.Interval(values, 2000, 0.95, seed: 3);

        ((interval.High - interval.Low) / 2).ShouldBe(half, 0.08 * half, "half-width within 8% of normal theory");
        ((interval.High + interval.Low) / 2).ShouldBe(mean, 0.1 * half, "centred on the mean");
        interval.IncludesZero.ShouldBeFalse();
    }

    [Fact]
    public void Interval_SameSeed_SameInterval_OtherSeed_Differs()
    {
        double[] values = [0.1, -0.3, 0.7, 0.2, 0.0, 0.5, -0.1, 0.4];

        PairedBootstrap.Interval(values, 300, 0.95, 5).ShouldBe(PairedBootstrap.Interval(values, 300, 0.95, 5));
        PairedBootstrap.Interval(values, 300, 0.95, 6).Low.ShouldNotBe(PairedBootstrap.Interval(values, 300, 0.95, 5).Low);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.5)]
    [InlineData(1.0, 4.0)]
    [InlineData(0.25, 1.75)]
    public void Quantile_FourValues_InterpolatesBetweenOrderStatistics(double p, double expected)
    {
        PairedBootstrap.Quantile([1.0, 2.0, 3.0, 4.0], p).ShouldBe(expected, 1e-15);
    }

    [Fact]
    public void Interval_NoValues_Throws()
    {
        Should.Throw<ArgumentException>(() => PairedBootstrap.Interval([], 100, 0.95, 1));
    }

    /// <summary>The textbook percentile bootstrap, written independently: resample indices, average, sort, read the α/2 and 1 − α/2 points.</summary>
    private static (double Low, double High) Reference(double[] values, int resamples, double level, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var means = new List<double>();
        for (var b = 0; b < resamples; b++)
        {
            var draw = new List<double>();
            for (var i = 0; i < values.Length; i++)
            {
                draw.Add(values[rng.NextInt(values.Length)]);
            }

            means.Add(draw.Sum() / draw.Count);
        }

        var sorted = means.OrderBy(m => m).ToArray();
        double At(double p)
        {
            var position = p * (sorted.Length - 1);
            var below = sorted[(int)position];
            var above = sorted[Math.Min((int)position + 1, sorted.Length - 1)];
            return below + ((position - (int)position) * (above - below));
        }

        return (At((1 - level) / 2), At(1 - ((1 - level) / 2)));
    }
}
