using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Tests.Metrics;

public sealed class RankingMetricsTests
{
    public static TheoryData<int> Cases() => MetricVectors.CaseIndices();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ndcg_GoldenVectors_Match(int index)
    {
        var c = MetricVectors.Case(index);
        var checkedAny = false;
        foreach (var k in new[] { 3, 5, 10 })
        {
            if (c.Expected.TryGetValue($"ndcg@{k}", out var expected))
            {
                RankingMetrics.Ndcg(c.Scores, c.Labels, k).ShouldBe(expected, 1e-12, $"ndcg@{k}");
                checkedAny = true;
            }
        }

        checkedAny.ShouldBeTrue();
    }

    [Fact]
    public void Ndcg_HandComputed()
    {
        // Order by score: labels [0, 1, 1]; DCG@3 = 1/log2 3 + 1/2; ideal = 1 + 1/log2 3.
        var expected = ((1 / Math.Log2(3)) + 0.5) / (1 + (1 / Math.Log2(3)));
        RankingMetrics.Ndcg([0.9, 0.5, 0.1], [0, 1, 1], 3).ShouldBe(expected, 1e-15);
        RankingMetrics.Ndcg([0.9, 0.5, 0.1], [0, 1, 1], 1).ShouldBe(0.0);
    }

    [Fact]
    public void Ndcg_TiedScores_ShareTheMeanGain()
    {
        // Scores tie for the top two (gains 1 and 0): each gets 0.5. DCG@1 = 0.5; ideal@1 = 1.
        RankingMetrics.Ndcg([0.7, 0.7, 0.1], [1, 0, 0], 1).ShouldBe(0.5, 1e-15);
        RankingMetrics.Ndcg([0.7, 0.7, 0.1], [1, 0, 0], 2).ShouldBe(0.5 * (1 + (1 / Math.Log2(3))), 1e-15);
    }

    [Fact]
    public void Ndcg_NoRelevant_FollowsTheConvention()
    {
        RankingMetrics.Ndcg([0.3, 0.2], [0, 0], 2).ShouldBe(0.0);
        RankingMetrics.Ndcg([0.3, 0.2], [0, 0], 2, noRelevant: 1.0).ShouldBe(1.0);
        RankingMetrics.NdcgOfRanking([0, 0], [0, 0, 0], 2).ShouldBe(0.0);
        RankingMetrics.NdcgOfRanking([0, 0], [0, 0, 0], 2, noRelevant: 1.0).ShouldBe(1.0);
    }

    [Fact]
    public void NdcgOfRanking_SlateAgainstCandidatePool()
    {
        // Shown [0, 1] out of a pool holding two relevant items: DCG = 1/log2 3; ideal = 1 + 1/log2 3.
        RankingMetrics.NdcgOfRanking([0, 1], [1, 0, 1, 0], 2).ShouldBe((1 / Math.Log2(3)) / (1 + (1 / Math.Log2(3))), 1e-15);
    }

    [Fact]
    public void AveragePrecision_HandComputed()
    {
        // Order: labels [1, 0, 1, 0]; AP@4 = (1/1 + 2/3) / 2; AP@2 = (1/1) / min(2, 2).
        double[] scores = [0.9, 0.8, 0.7, 0.6];
        double[] labels = [1, 0, 1, 0];
        RankingMetrics.AveragePrecision(scores, labels, 4).ShouldBe((1 + (2.0 / 3)) / 2, 1e-15);
        RankingMetrics.AveragePrecision(scores, labels, 2).ShouldBe(0.5, 1e-15);
        RankingMetrics.AveragePrecision(scores, labels, 1).ShouldBe(1.0, 1e-15);
        RankingMetrics.AveragePrecision(scores, [0, 0, 0, 0], 2).ShouldBe(0.0);
        double.IsNaN(RankingMetrics.AveragePrecision(scores, [0, 0, 0, 0], 2, double.NaN)).ShouldBeTrue();
    }

    [Fact]
    public void Recall_HandComputed()
    {
        double[] scores = [0.1, 0.9, 0.5, 0.7];
        double[] labels = [1, 0, 1, 1];
        RankingMetrics.Recall(scores, labels, 1).ShouldBe(0.0);
        RankingMetrics.Recall(scores, labels, 2).ShouldBe(1.0 / 3, 1e-15);
        RankingMetrics.Recall(scores, labels, 3).ShouldBe(2.0 / 3, 1e-15);
        RankingMetrics.Recall(scores, labels, 10).ShouldBe(1.0);
    }

    [Fact]
    public void Recall_Ties_BrokenByIndex()
    {
        RankingMetrics.Recall([0.5, 0.5], [0, 1], 1).ShouldBe(0.0);
        RankingMetrics.Recall([0.5, 0.5], [1, 0], 1).ShouldBe(1.0);
    }
}
