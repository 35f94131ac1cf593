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

    [Theory]
    [InlineData(0.3, 0)]
    [InlineData(0.7, 0)]
    [InlineData(0.5, 1)]
    [InlineData(0.5, 3)]
    public void Diversify_RandomCandidates_EqualsTheFullMatrixDefinition(double lambda, int window)
    {
        var random = new Random(5);
        for (var trial = 0; trial < 20; trial++)
        {
            const int N = 20;
            var embeddings = Enumerable.Range(0, N).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
            var order = Enumerable.Range(0, N).OrderBy(_ => random.Next()).Take(15).ToArray();
            var scores = order.Select(_ => (float)random.NextDouble()).ToArray();
            var batch = Tiny.Batch(Enumerable.Repeat(0.1f, N).ToArray(), embeddings, 6);
            var ranked = new Slate(order, 0, scores);

            var slate = Tiny.Build<IDiversifier>("mmr", $"lambda: {lambda}\nwindow: {window}").Diversify(batch, 0, ranked, 6);

            var (indices, objective) = Reference(embeddings, order, scores, lambda, window, 6);
            slate.Indices.ShouldBe(indices);
            slate.Score.ShouldBe(objective);
        }
    }

    /// <summary>MMR as defined (Carbonell &amp; Goldstein): the full cosine matrix, min–max normalised relevance.</summary>
    private static (int[] Indices, double Objective) Reference(float[][] embeddings, int[] items, float[] raw, double lambda, int window, int size)
    {
        double Cos(int a, int b)
        {
            double Norm(float[] e) => Math.Sqrt(e.Sum(v => (double)v * v));
            var (x, y) = (embeddings[a], embeddings[b]);
            var (sx, sy) = (1 / Norm(x), 1 / Norm(y));
            var dot = 0d;
            for (var k = 0; k < x.Length; k++)
            {
                dot += (x[k] * sx) * (y[k] * sy);
            }

            return dot;
        }

        var (min, max) = (raw.Min(), raw.Max());
        var relevance = raw.Select(r => max > min ? (r - (double)min) / (max - (double)min) : 1).ToArray();
        var chosen = new List<int>();
        var taken = new bool[items.Length];
        var objective = 0d;
        for (var t = 0; t < size; t++)
        {
            var (best, bestValue) = (-1, double.NegativeInfinity);
            for (var k = 0; k < items.Length; k++)
            {
                if (taken[k])
                {
                    continue;
                }

                var window0 = window > 0 ? Math.Max(0, chosen.Count - window) : 0;
                var penalty = chosen.Count == window0 ? 0 : chosen.Skip(window0).Max(c => Cos(items[k], c));
                var value = (lambda * relevance[k]) - ((1 - lambda) * penalty);
                if (best < 0 || value > bestValue)
                {
                    (best, bestValue) = (k, value);
                }
            }

            taken[best] = true;
            chosen.Add(items[best]);
            objective += bestValue;
        }

        return ([.. chosen], objective);
    }
}
