using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Tests.Metrics;

public sealed class EvaluatorMetricsTests
{
    [Fact]
    public void RegressionAuc_HandComputed()
    {
        // y = [1, 2, 3], ŷ = [0.1, 0.3, 0.2]: pairs (2>1 ok), (3>1 ok), (3>2 wrong) → 2/3.
        EvaluatorMetrics.RegressionAuc([0.1, 0.3, 0.2], [1, 2, 3]).ShouldBe(2.0 / 3, 1e-15);
    }

    [Fact]
    public void RegressionAuc_TiesInTruthAreNotPairs_TiesInPredictionDisagree()
    {
        // y = [1, 1, 2]: pairs (2>1) twice; ŷ = [0.5, 0.2, 0.5]: first pair tied in ŷ (0), second ok → 1/2.
        EvaluatorMetrics.RegressionAuc([0.5, 0.2, 0.5], [1, 1, 2]).ShouldBe(0.5, 1e-15);
        double.IsNaN(EvaluatorMetrics.RegressionAuc([0.1, 0.2], [1, 1])).ShouldBeTrue();
    }

    [Fact]
    public void RegressionAuc_MatchesQuadraticDefinition()
    {
        var rng = new Random(5);
        var y = Enumerable.Range(0, 300).Select(_ => Math.Round(rng.NextDouble() * 20) / 20).ToArray();
        var p = y.Select(v => Math.Round((v + (rng.NextDouble() * 0.5)) * 10) / 10).ToArray();
        long agree = 0, pairs = 0;
        for (var i = 0; i < y.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                if (y[i] > y[j])
                {
                    pairs++;
                    agree += p[i] > p[j] ? 1 : 0;
                }
            }
        }

        EvaluatorMetrics.RegressionAuc(p, y).ShouldBe((double)agree / pairs, 1e-12);
    }

    [Fact]
    public void Pcoc_IsRatioOfMeans() => EvaluatorMetrics.Pcoc([1, 2, 3], [2, 2, 4]).ShouldBe(0.75, 1e-15);

    [Fact]
    public void Rmse_HandComputed() => EvaluatorMetrics.Rmse([1, 2, 3], [1, 4, 0]).ShouldBe(Math.Sqrt(13.0 / 3), 1e-15);
}
