using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Model;

public sealed class OrderedRegressionTests
{
    [Fact]
    public void ExpectedCounts_Ordered_SumsThresholdProbabilitiesUpToJ()
    {
        // One row, T = 2, K = 2. Position 0 uses θ_1,1 only; position 1 uses θ_1,2 and θ_2,2 (eq. 5); logit 0 → p = 0.5.
        float[] logits = [0f, 100f, 0f, 0f];
        var expected = OrderedRegression.ExpectedCounts(logits, 1, 2, 2, ordered: true);
        expected[0].ShouldBe(0.5f, 1e-6f);
        expected[1].ShouldBe(1.0f, 1e-6f);
    }

    [Fact]
    public void ExpectedCounts_Pointwise_AccumulatesPerPositionProbabilities()
    {
        var logit = MathF.Log(0.25f / 0.75f);
        var expected = OrderedRegression.ExpectedCounts([0f, logit], 1, 2, 1, ordered: false);
        expected[0].ShouldBe(0.5f, 1e-6f);
        expected[1].ShouldBe(0.75f, 1e-6f);
    }

    [Fact]
    public void Targets_Ordered_MarksCountAtLeastIOnlyForValidThresholds()
    {
        // Actions 1, 0, 1 in a list of 3 (T = 3, K = 3): counts 1, 1, 2.
        var (targets, weights) = OrderedRegression.Targets([1f, 0f, 1f], [3], 3, 3, ordered: true);
        float[] expectedTargets = [1, 0, 0, 1, 0, 0, 1, 1, 0];
        targets.ShouldBe(expectedTargets);
        var valid = weights.Select(w => w > 0).ToArray();
        bool[] expectedValid = [true, false, false, true, true, false, true, true, true];
        valid.ShouldBe(expectedValid);
        weights.Sum().ShouldBe(9f, 1e-4f); // rescaled to a mean over the 6 valid terms
    }

    [Fact]
    public void Targets_ShortList_IgnoresPadding()
    {
        var (_, weights) = OrderedRegression.Targets([1f, 1f, 0f], [1], 3, 1, ordered: false);
        weights[0].ShouldBeGreaterThan(0f);
        weights[1].ShouldBe(0f);
        weights[2].ShouldBe(0f);
    }
}
