using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines.Tests.Diversifiers;

public sealed class MmrDiversifierTests
{
    // e0 and e1 nearly the same direction, e2 orthogonal to e0, e3 opposite to e0.
    private static readonly float[][] Embeddings = [[1, 0], [0.99f, 0.141f], [0, 1], [-1, 0]];

    [Fact]
    public void Diversify_LambdaOne_RelevanceOrder()
    {
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], Embeddings, 4);
        var ranked = new Slate([2, 0, 1, 3], 0, [0.9f, 0.8f, 0.3f, 0.5f]);

        var slate = Tiny.Build<IDiversifier>("mmr", "lambda: 1").Diversify(batch, 0, ranked, 4);

        slate.Indices.ShouldBe([2, 0, 3, 1]);
        slate.ItemScores.ShouldBe([0.9f, 0.8f, 0.5f, 0.3f]);
    }

    [Fact]
    public void Diversify_LambdaZero_MaximisesDissimilarity()
    {
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], Embeddings, 4);
        var ranked = new Slate([0, 1, 2, 3], 0, [0.9f, 0.8f, 0.7f, 0.6f]);

        // First: no similarity yet, so the tie goes to the first ranked (0); then the opposite (3); then the orthogonal (2).
        Tiny.Build<IDiversifier>("mmr", "lambda: 0").Diversify(batch, 0, ranked, 4).Indices.ShouldBe([0, 3, 2, 1]);
    }

    [Fact]
    public void Diversify_WindowOne_OnlyLastItemCounts()
    {
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], Embeddings, 4);
        var ranked = new Slate([0, 1, 2, 3], 0, [0.9f, 0.8f, 0.7f, 0.6f]);

        // After [0, 3] only 3 is in the window: 1 (cos −0.99) is less similar to it than 2 (cos 0).
        Tiny.Build<IDiversifier>("mmr", "lambda: 0\nwindow: 1").Diversify(batch, 0, ranked, 4).Indices.ShouldBe([0, 3, 1, 2]);
    }

    [Fact]
    public void Diversify_HandComputedTradeOff()
    {
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], Embeddings, 2);
        var ranked = new Slate([0, 1, 2, 3], 0, [1.0f, 0.9f, 0.5f, 0.0f]);

        // Normalised relevance [1, 0.9, 0.5, 0]; λ = 0.5. After 0: item 1 → 0.45 − 0.5·0.990 ≈ −0.045, item 2 → 0.25 − 0 = 0.25,
        // item 3 → 0 − 0.5·max(−1) = 0.5 → 3 wins. Objective 0.5·1 + 0.5.
        var slate = Tiny.Build<IDiversifier>("mmr", "lambda: 0.5").Diversify(batch, 0, ranked, 2);

        slate.Indices.ShouldBe([0, 3]);
        slate.Score.ShouldBe(1.0, 1e-9);
    }

    [Fact]
    public void Diversify_NoItemScores_UsesNamedPrior()
    {
        var batch = Tiny.Batch([0.1f, 0.2f, 0.9f, 0.4f], Embeddings, 3);
        var ranked = new Slate([0, 1, 2, 3], 0);

        Tiny.Build<IDiversifier>("mmr", "lambda: 1\nprior: ctr").Diversify(batch, 0, ranked, 3).Indices.ShouldBe([2, 3, 1]);
    }

    [Fact]
    public void Adjust_Prefix_LambdaWeightedScoreMinusMaxSimilarity()
    {
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], Embeddings, 3);
        var rows = new StepRows(1, [0], [0], [0]);
        float[] scores = [2, 2, 2, 2];

        Tiny.Build<IDiversifier>("mmr", "lambda: 0.5").Adjust(batch, rows, scores);

        var cos01 = 0.99 / Math.Sqrt((0.99 * 0.99) + (0.141 * 0.141));
        scores[1].ShouldBe((float)(1 - (0.5 * cos01)), 1e-5f);
        scores[2].ShouldBe(1f, 1e-6f);
        scores[3].ShouldBe(1.5f, 1e-6f);
    }

    [Fact]
    public void Diversify_NoEmbeddings_ClearError()
    {
        var schema = new FeatureSchema([], ["ctr"], 0);
        var request = new RerankRequest { RequestId = "bare", Candidates = [new Item { Id = "a", Priors = [0.5f] }, new Item { Id = "b", Priors = [0.4f] }], SlateSize = 1 };
        var batch = RerankBatch.Create(schema, [request]);

        Should.Throw<ComponentException>(() => Tiny.Build<IDiversifier>("mmr").Diversify(batch, 0, new Slate([0, 1], 0), 1))
            .Message.ShouldContain("embeddings");
    }
}
