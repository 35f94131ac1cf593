using Rerank.Abstractions;
using Rerank.Serving;

namespace Rerank.Serving.Tests;

public sealed class FallbackOrderTests
{
    private static RerankRequest Request(float[][] priors, int slate) => new()
    {
        RequestId = "r",
        Candidates = [.. priors.Select((p, i) => new Item { Id = "c" + i, Priors = p })],
        SlateSize = slate,
    };

    [Fact]
    public void For_SchemaWithCtr_SortsByCtrDescendingTiesByPosition()
    {
        var schema = new FeatureSchema([], ["cvr", "ctr"], 0);
        var slate = FallbackOrder.For(Request([[0, 0.1f], [0, 0.3f], [0, 0.2f], [0, 0.3f]], 3), schema);
        slate.Indices.ShouldBe([1, 3, 2]);
        slate.ItemScores.ShouldBe([0.3f, 0.3f, 0.2f]);
    }

    [Fact]
    public void For_SchemaWithoutCtr_KeepsTheGivenOrderCutToL()
    {
        var schema = new FeatureSchema([], ["score"], 0);
        var slate = FallbackOrder.For(Request([[0.9f], [0.1f], [0.5f]], 2), schema);
        slate.Indices.ShouldBe([0, 1]);
        slate.ItemScores.ShouldBeNull();
    }
}
