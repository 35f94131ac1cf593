using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Generators;

public sealed class QueueExpressionTests
{
    private static RerankBatch Batch()
    {
        var schema = new FeatureSchema([], ["ctr", "cvr"], 0);
        var item = new Item { Id = "a", Priors = [0.2f, 0.5f], Price = 10 };
        return RerankBatch.Create(schema, [new RerankRequest { RequestId = "q", Candidates = [item], SlateSize = 1 }]);
    }

    [Fact]
    public void Score_Composite_WeightsProductsOfPriors()
    {
        var e = QueueExpression.TryParse("0.5*ctr + 0.5*ctr*cvr", out _)!;
        e.Score(Batch(), 0, 0).ShouldBe((0.5 * 0.2) + (0.5 * 0.2 * 0.5), 1e-6);
    }

    [Fact]
    public void Score_Price_ReadsTheCandidatePrice()
    {
        QueueExpression.TryParse("ctr*cvr*price", out _)!.Score(Batch(), 0, 0).ShouldBe(0.2 * 0.5 * 10, 1e-5);
    }

    [Fact]
    public void TryParse_BadFactor_NamesIt()
    {
        QueueExpression.TryParse("ctr*(cvr)", out var error).ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain("(cvr)");
    }

    [Fact]
    public void Check_UnknownPrior_ListsAvailable()
    {
        var e = QueueExpression.TryParse("ctr*gmv", out _)!;
        Should.Throw<ComponentException>(() => e.Check(Batch().Schema, "g")).Message.ShouldContain("'gmv'");
    }
}
