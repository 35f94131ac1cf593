using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.OffPolicy;
using Rerank.Runtime.Randomness;
using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>IPS, IIPS and RIPS with their self-normalised forms against values worked out by hand on <see cref="TinyLog"/>.</summary>
public sealed class SlateEstimatorsTests
{
    [Fact]
    public void Ips_TinyLog_HandComputed()
    {
        // w = 4, 0, 0, 4 (μ(1,2) = 1/4); Σ_k r = 2, 1, 1, 1 → (8 + 4) / 4.
        var estimate = SlateEstimators.Ips(TinyLog.Log, TinyLog.Targets, TinyLog.Options());

        estimate.Estimator.ShouldBe("IPS");
        estimate.Value.ShouldBe(3.0, 1e-12);
        estimate.EffectiveSampleSize.ShouldBe(2.0, 1e-12);
        (estimate.Requests, estimate.Clip, estimate.Clipped).ShouldBe((4, double.PositiveInfinity, 0));
    }

    [Fact]
    public void Ips_Interval_IsTheBootstrapOfPerRequestTerms()
    {
        var estimate = SlateEstimators.Ips(TinyLog.Log, TinyLog.Targets, TinyLog.Options());

        var expected = PairedBootstrap.Interval([8.0, 0, 0, 4], 200, 0.95, 7);
        estimate.Low.ShouldBe(expected.Low, 1e-12);
        estimate.High.ShouldBe(expected.High, 1e-12);
        estimate.Low.ShouldBeLessThan(estimate.High);
    }

    [Fact]
    public void Snips_TinyLog_HandComputed()
    {
        SlateEstimators.Snips(TinyLog.Log, TinyLog.Targets, TinyLog.Options()).Value.ShouldBe(12.0 / 8, 1e-12);
    }

    [Fact]
    public void Snips_Interval_ResamplesRequestsAndRecomputesTheRatio()
    {
        var estimate = SlateEstimators.Snips(TinyLog.Log, TinyLog.Targets, TinyLog.Options());

        double[] values = [8, 0, 0, 4];
        double[] weights = [4, 0, 0, 4];
        var rng = new SeededRandom(7);
        var ratios = new double[200];
        for (var b = 0; b < ratios.Length; b++)
        {
            var (v, w) = (0.0, 0.0);
            for (var i = 0; i < 4; i++)
            {
                var j = rng.NextInt(4);
                (v, w) = (v + values[j], w + weights[j]);
            }

            ratios[b] = w == 0 ? 0 : v / w;
        }

        Array.Sort(ratios);
        estimate.Low.ShouldBe(PairedBootstrap.Quantile(ratios, 0.025), 1e-15);
        estimate.High.ShouldBe(PairedBootstrap.Quantile(ratios, 0.975), 1e-15);
    }

    [Fact]
    public void Ips_Clipped_UsesTheThresholdAndCounts()
    {
        var ips = SlateEstimators.Ips(TinyLog.Log, TinyLog.Targets, TinyLog.Options(clip: 3.5));
        var snips = SlateEstimators.Snips(TinyLog.Log, TinyLog.Targets, TinyLog.Options(clip: 3.5));

        ips.Value.ShouldBe((7 + 3.5) / 4, 1e-12);
        (ips.Clip, ips.Clipped).ShouldBe((3.5, 2));
        snips.Value.ShouldBe((7 + 3.5) / 7, 1e-12);
    }

    [Fact]
    public void Iips_TinyLog_HandComputed()
    {
        // Position 0: w = 3 for item 1 (μ = 1/3) in requests 0, 1, 3; position 1: w = 20/7 for item 2 (μ = 7/20) in 0, 2, 3.
        var estimate = SlateEstimators.Iips(TinyLog.Log, TinyLog.Targets, TinyLog.Options());

        estimate.Value.ShouldBe(((3 + (20.0 / 7)) + 0 + (20.0 / 7) + 3) / 4, 1e-12);
        estimate.EffectiveSampleSize.ShouldBe(3.0, 1e-12);
    }

    [Fact]
    public void SnIips_TinyLog_NormalisesEachPosition()
    {
        // Position 0: (3 + 0 + 3) / 9; position 1: (20/7 + 20/7) / (60/7).
        SlateEstimators.SnIips(TinyLog.Log, TinyLog.Targets, TinyLog.Options()).Value.ShouldBe((2.0 / 3) + (2.0 / 3), 1e-12);
    }

    [Fact]
    public void Iips_Clipped_EveryPositionWeightCapped()
    {
        var estimate = SlateEstimators.Iips(TinyLog.Log, TinyLog.Targets, TinyLog.Options(clip: 2.5));

        estimate.Value.ShouldBe((5 + 0 + 2.5 + 2.5) / 4, 1e-12);
        estimate.Clipped.ShouldBe(6);
    }

    [Fact]
    public void Rips_TinyLog_HandComputed()
    {
        // Prefix weights for (1, 2): 3 then 4; request 0: 3·1 + 4·1, request 1: 3·0 (prefix broken at 1), 2: none, 3: 3·1 + 4·0.
        var estimate = SlateEstimators.Rips(TinyLog.Log, TinyLog.Targets, TinyLog.Options());

        estimate.Value.ShouldBe(10.0 / 4, 1e-12);
        estimate.EffectiveSampleSize.ShouldBe(2.0, 1e-12, "position 1: (4 + 4)² / (16 + 16); position 0 has 3");
    }

    [Fact]
    public void SnRips_TinyLog_NormalisesEachPosition()
    {
        // Position 0: (3 + 0 + 3) / 9; position 1: (4 + 0) / 8.
        SlateEstimators.SnRips(TinyLog.Log, TinyLog.Targets, TinyLog.Options()).Value.ShouldBe((2.0 / 3) + 0.5, 1e-12);
    }

    [Fact]
    public void Rips_Clipped_OnlyTheLargerPrefixWeights()
    {
        var estimate = SlateEstimators.Rips(TinyLog.Log, TinyLog.Targets, TinyLog.Options(clip: 3.5));

        estimate.Value.ShouldBe((6.5 + 0 + 0 + 3) / 4, 1e-12);
        estimate.Clipped.ShouldBe(2);
    }

    [Fact]
    public void SelfNormalised_NoMatchingSlate_IsZeroWithZeroEss()
    {
        int[][] elsewhere = [[0, 1], [0, 1], [2, 0], [0, 1]];

        var estimate = SlateEstimators.Snips(TinyLog.Log, elsewhere, TinyLog.Options());

        (estimate.Value, estimate.Low, estimate.High, estimate.EffectiveSampleSize).ShouldBe((0.0, 0.0, 0.0, 0.0));
    }

    [Fact]
    public void Estimators_SameSeed_SameResult()
    {
        SlateEstimators.SnRips(TinyLog.Log, TinyLog.Targets, TinyLog.Options())
            .ShouldBe(SlateEstimators.SnRips(TinyLog.Log, TinyLog.Targets, TinyLog.Options()));
    }
}
