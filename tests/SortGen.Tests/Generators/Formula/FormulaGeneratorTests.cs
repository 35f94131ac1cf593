using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Generators;

public sealed class FormulaGeneratorTests
{
    [Fact]
    public void Generate_Exponents_SortByCtrCvrPriceProduct()
    {
        var schema = new FeatureSchema([], ["ctr", "cvr"], 0);
        Item[] items =
        [
            new() { Id = "a", Priors = [0.5f, 0.1f], Price = 1 },   // ctr only: 0.5; ctr·cvr·price: 0.05
            new() { Id = "b", Priors = [0.2f, 0.5f], Price = 4 },   // 0.2; 0.4
            new() { Id = "c", Priors = [0.3f, 0.2f], Price = 2 },   // 0.3; 0.12
        ];
        var batch = RerankBatch.Create(schema, [new RerankRequest { RequestId = "q", Candidates = items, SlateSize = 3 }]);
        var ctrOnly = Trained.Build<IGenerator>("formula", "cvr_exponent: 0\nprice_exponent: 0");
        ctrOnly.Generate(batch, 1, Trained.Context)[0][0].Indices.ShouldBe([0, 2, 1]);
        var gmv = Trained.Build<IGenerator>("formula", "cvr_exponent: 1\nprice_exponent: 1");
        gmv.Generate(batch, 1, Trained.Context)[0][0].Indices.ShouldBe([1, 2, 0]);
    }
}
