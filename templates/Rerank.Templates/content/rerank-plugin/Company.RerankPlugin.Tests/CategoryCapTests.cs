using Rerank.Abstractions;
using Xunit;

namespace Company.RerankPlugin.Tests;

/// <summary>What category-cap itself promises, beyond conformance.</summary>
public sealed class CategoryCapTests
{
    private static readonly FeatureSchema Schema = new(
        [new FeatureField("category", FeatureKind.Categorical, FeatureSide.Item, 4)],
        ["ctr"],
        0);

    [Fact]
    public void Diversify_ThreeOfOneCategory_CapsAtTwo()
    {
        var batch = Batch(0, 0, 0, 1, 2);
        var slate = Diversifier(maxPerCategory: 2).Diversify(batch, 0, new Slate([0, 1, 2, 3, 4], 0), 4);
        Assert.Equal([0, 1, 3, 4], slate.Indices);
    }

    [Fact]
    public void Diversify_TooFewCategories_FillsInRankOrder()
    {
        var batch = Batch(0, 0, 0, 0);
        var slate = Diversifier(maxPerCategory: 1).Diversify(batch, 0, new Slate([3, 2, 1, 0], 0), 3);
        Assert.Equal([3, 2, 1], slate.Indices);
    }

    [Fact]
    public void Adjust_SameCategoryInPrefix_LowersScore()
    {
        var batch = Batch(0, 1, 0);
        var rows = new StepRows(1, [0], [-1], [0]);
        var scores = new float[3];
        Diversifier(penalty: 0.25).Adjust(batch, rows, scores);
        Assert.Equal([-0.25f, 0f, -0.25f], scores);
    }

    private static IDiversifier Diversifier(int maxPerCategory = 2, double penalty = 0.5) =>
        new CategoryCapDiversifier(new CategoryCapOptions { MaxPerCategory = maxPerCategory, Penalty = penalty }, "category-cap");

    private static RerankBatch Batch(params int[] categories) => RerankBatch.Create(Schema,
    [
        new RerankRequest
        {
            RequestId = "r0",
            SlateSize = Math.Min(3, categories.Length),
            Candidates = [.. categories.Select((c, i) => new Item { Id = $"i{i}", Categorical = [c], Priors = [1f / (i + 1)] })],
        },
    ]);
}
