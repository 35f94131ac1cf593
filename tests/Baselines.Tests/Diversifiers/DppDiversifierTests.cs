using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines.Tests.Diversifiers;

public sealed class DppDiversifierTests
{
    private const double Epsilon = 1e-4;

    [Fact]
    public void Diversify_ThreeItems_PicksLogDetGreedyOrder()
    {
        // e0 = (1, 0), e1 at 30° from e0, e2 orthogonal to e0. Relevance [1, 0.9, 0] (already in [0, 1]); θ = 0.5 → α = 0.5,
        // q = exp(0.5·r). First: largest L_ii = q_i²(1 + ε) → item 0. Then d_1² = q_1²((1 + ε) − cos²30°/(1 + ε)) ≈ 2.46·0.25 = 0.61
        // and d_2² = q_2²(1 + ε) ≈ 1.0 → item 2 before the more relevant but similar item 1.
        float[][] embeddings = [[1, 0], [(float)Math.Cos(Math.PI / 6), 0.5f], [0, 1]];
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f], embeddings, 3);
        var ranked = new Slate([0, 1, 2], 0, [1f, 0.9f, 0f]);

        var slate = Tiny.Build<IDiversifier>("dpp", "theta: 0.5").Diversify(batch, 0, ranked, 3);

        slate.Indices.ShouldBe([0, 2, 1]);
        var q = new[] { Math.Exp(0.5), Math.Exp(0.45), 1.0 };
        var kernel = Kernel(embeddings, q);
        slate.Score.ShouldBe(Math.Log(Determinant(Sub(kernel, [0, 2, 1]))), 1e-6);
    }

    [Fact]
    public void Diversify_FourItems_MatchesBruteForceDeterminantGreedy()
    {
        float[][] embeddings = [[1, 0, 0], [0.8f, 0.6f, 0], [0, 0.6f, 0.8f], [0.6f, 0, 0.8f]];
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], embeddings, 4);
        float[] relevance = [1f, 0.9f, 0f, 0.7f];
        var ranked = new Slate([0, 1, 2, 3], 0, relevance);
        const double Theta = 0.7;
        var alpha = Theta / (2 * (1 - Theta));
        var kernel = Kernel(embeddings, [.. relevance.Select(r => Math.Exp(alpha * r))]);

        // Independent reference: at each step add the item that maximises det(L_Y) computed from scratch.
        var expected = new List<int>();
        while (expected.Count < 4)
        {
            expected.Add(Enumerable.Range(0, 4).Where(i => !expected.Contains(i)).MaxBy(i => Determinant(Sub(kernel, [.. expected, i]))));
        }

        var slate = Tiny.Build<IDiversifier>("dpp", "theta: 0.7").Diversify(batch, 0, ranked, 4);

        // After 0, item 3 (q² ≈ 5.1, cos 0.6) beats the more relevant 1 (q² ≈ 8.2, cos 0.8): 5.1·0.64 > 8.2·0.36.
        expected[1].ShouldBe(3);
        slate.Indices.ShouldBe([.. expected]);
        slate.Score.ShouldBe(Math.Log(Determinant(Sub(kernel, [.. expected]))), 1e-6);
    }

    [Fact]
    public void Diversify_ThetaZero_PureDiversity()
    {
        // Without relevance the greedy log-det picks the first item (ties), then the one most orthogonal to it.
        float[][] embeddings = [[1, 0], [0.9f, 0.436f], [0.1f, 0.995f]];
        var batch = Tiny.Batch([0.9f, 0.8f, 0.1f], embeddings, 2);

        Tiny.Build<IDiversifier>("dpp", "theta: 0").Diversify(batch, 0, new Slate([0, 1, 2], 0, [0.9f, 0.8f, 0.1f]), 2).Indices.ShouldBe([0, 2]);
    }

    [Fact]
    public void Adjust_Prefix_ThetaWeightedGainPlusLogConditionalVariance()
    {
        float[][] embeddings = [[1, 0], [(float)Math.Cos(Math.PI / 6), 0.5f], [0, 1]];
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f], embeddings, 3);
        var rows = new StepRows(1, [0], [0], [0]);
        float[] scores = [1, 1, 1];

        Tiny.Build<IDiversifier>("dpp", "theta: 0.5").Adjust(batch, rows, scores);

        // d² of S given {0}: S_ii − S_i0² / S_00 with S_ii = 1 + ε.
        var d1 = (1 + Epsilon) - (0.75 / (1 + Epsilon));
        var d2 = 1 + Epsilon;
        scores[1].ShouldBe((float)(0.5 + (0.5 * Math.Log(d1))), 1e-4f);
        scores[2].ShouldBe((float)(0.5 + (0.5 * Math.Log(d2))), 1e-4f);
    }

    [Fact]
    public void Diversify_WindowOne_ForgetsOlderItems()
    {
        // e0 ≈ e2 and e1 ⟂ both. Without a window, after [0, 1] item 2 (≈ 0) loses to 3 (fresh direction);
        // with window 1 only item 1 counts, so the more relevant 2 comes back.
        float[][] embeddings = [[1, 0, 0], [0, 1, 0], [0.999f, 0, 0.045f], [0.5f, 0, 0.866f]];
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f, 0.1f], embeddings, 3);
        var ranked = new Slate([0, 1, 2, 3], 0, [1f, 0.9f, 0.8f, 0f]);

        Tiny.Build<IDiversifier>("dpp", "theta: 0.5").Diversify(batch, 0, ranked, 3).Indices.ShouldBe([0, 1, 3]);
        Tiny.Build<IDiversifier>("dpp", "theta: 0.5\nwindow: 1").Diversify(batch, 0, ranked, 3).Indices.ShouldBe([0, 1, 2]);
    }

    private static double[,] Kernel(float[][] embeddings, double[] q)
    {
        var n = embeddings.Length;
        var kernel = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var dot = embeddings[i].Zip(embeddings[j], (a, b) => (double)a * b).Sum();
                var cos = dot / Math.Sqrt(embeddings[i].Sum(v => (double)v * v) * embeddings[j].Sum(v => (double)v * v));
                kernel[i, j] = q[i] * (cos + (i == j ? Epsilon : 0)) * q[j];
            }
        }

        return kernel;
    }

    private static double[,] Sub(double[,] kernel, int[] items)
    {
        var m = new double[items.Length, items.Length];
        for (var a = 0; a < items.Length; a++)
        {
            for (var b = 0; b < items.Length; b++)
            {
                m[a, b] = kernel[items[a], items[b]];
            }
        }

        return m;
    }

    private static double Determinant(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var m = (double[,])matrix.Clone();
        var det = 1.0;
        for (var k = 0; k < n; k++)
        {
            var pivot = Enumerable.Range(k, n - k).MaxBy(r => Math.Abs(m[r, k]));
            if (pivot != k)
            {
                for (var c = 0; c < n; c++)
                {
                    (m[k, c], m[pivot, c]) = (m[pivot, c], m[k, c]);
                }

                det = -det;
            }

            det *= m[k, k];
            for (var r = k + 1; r < n; r++)
            {
                var f = m[r, k] / m[k, k];
                for (var c = k; c < n; c++)
                {
                    m[r, c] -= f * m[k, c];
                }
            }
        }

        return det;
    }
}
