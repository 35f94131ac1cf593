using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Metrics;

public sealed class ListMetricsTests
{
    private static readonly Item[] Items =
    [
        new() { Id = "a", Categorical = [0, 1], Embedding = [1, 0] },
        new() { Id = "b", Categorical = [1, 1], Embedding = [0, 1] },
        new() { Id = "c", Categorical = [2, 2], Embedding = [1, 1] },
        new() { Id = "d", Categorical = [3, 3], Embedding = [-1, 0] },
    ];

    [Fact]
    public void IntraListDiversity_HandComputed()
    {
        // Pairs: (a,b) 1 − 0 = 1; (a,c) 1 − 1/√2; (b,c) 1 − 1/√2 → mean.
        var expected = (1 + (2 * (1 - (1 / Math.Sqrt(2))))) / 3;
        ListMetrics.IntraListDiversity(Items, [0, 1, 2]).ShouldBe(expected, 1e-12);
        ListMetrics.IntraListDiversity(Items, [0, 3]).ShouldBe(2.0, 1e-12);
        ListMetrics.IntraListDiversity(Items, [0]).ShouldBe(0.0);
    }

    [Fact]
    public void CategoryCoverage_DistinctOverAttainable()
    {
        ListMetrics.CategoryCoverage(Items, [0, 1], 1).ShouldBe(0.5);
        ListMetrics.CategoryCoverage(Items, [0, 2, 3], 1).ShouldBe(1.0);
        ListMetrics.CategoryCoverage(Items, [0, 1, 2, 3], 1).ShouldBe(1.0);
        ListMetrics.CategoryCoverage(Items[..2], [0, 1], 1).ShouldBe(1.0);
    }

    [Fact]
    public void CategoryIndex_FindsSimulatorCategory() =>
        ListMetrics.CategoryIndex(SimTestWorlds.Dataset.Schema).ShouldBe(1);

    [Fact]
    public void OracleRatio_UtilityOverOptimum()
    {
        ListMetrics.OracleRatio(0.5, 2.0).ShouldBe(0.25);
        double.IsNaN(ListMetrics.OracleRatio(0.5, 0)).ShouldBeTrue();
    }

    [Fact]
    public void ExpectedUtility_UsesGroundTruth()
    {
        var request = SimTestWorlds.Dataset.Test[0];
        ListMetrics.ExpectedUtility(request, [0, 1, 2]).ShouldBe(request.GroundTruth!.Utility([0, 1, 2]));
        var plain = new RerankRequest { RequestId = "r", Candidates = Items, SlateSize = 2 };
        Should.Throw<InvalidOperationException>(() => ListMetrics.ExpectedUtility(plain, [0, 1])).Message.ShouldContain("'r'");
    }
}
