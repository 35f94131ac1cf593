using System.Runtime.CompilerServices;
using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// Cosine similarity of candidates' <see cref="Item.Embedding"/>s, one <c>[n, n]</c> matrix per request, computed once per
/// batch and cached for as long as the batch lives (so in-decoding adjustments do not recompute it at every step).
/// </summary>
internal static class Similarity
{
    private static readonly ConditionalWeakTable<RerankBatch, double[]?[]> Cache = [];

    /// <summary>The row-major <c>[n, n]</c> cosine matrix of request <paramref name="b"/>'s candidates (n = its candidate count).</summary>
    public static double[] Of(RerankBatch batch, int b, string component)
    {
        if (batch.EmbeddingWidth == 0)
        {
            throw new ComponentException(
                $"{component}: the data's items carry no embeddings (schema embedding width 0); similarity needs Item.Embedding");
        }

        var perRequest = Cache.GetValue(batch, static x => new double[]?[x.Count]);
        var matrix = Volatile.Read(ref perRequest[b]);
        if (matrix is null)
        {
            matrix = Compute(batch, b);
            Volatile.Write(ref perRequest[b], matrix);
        }

        return matrix;
    }

    /// <summary>
    /// Request <paramref name="b"/>'s candidate embeddings scaled to unit length, row-major <c>[n, width]</c> (all-zero
    /// embeddings stay zero). For callers that need only a few rows of the cosine matrix: <see cref="Dot"/> of two rows
    /// equals the matrix entry bit for bit.
    /// </summary>
    public static double[] UnitVectors(RerankBatch batch, int b, string component)
    {
        if (batch.EmbeddingWidth == 0)
        {
            throw new ComponentException(
                $"{component}: the data's items carry no embeddings (schema embedding width 0); similarity needs Item.Embedding");
        }

        return Unit(batch, b);
    }

    /// <summary>The cosine of candidates <paramref name="i"/> and <paramref name="j"/> from <see cref="UnitVectors"/>.</summary>
    public static double Dot(double[] unit, int width, int i, int j)
    {
        var a = unit.AsSpan(i * width, width);
        var c = unit.AsSpan(j * width, width);
        var dot = 0d;
        for (var k = 0; k < a.Length; k++)
        {
            dot += a[k] * c[k];
        }

        return dot;
    }

    private static double[] Compute(RerankBatch batch, int b)
    {
        var n = batch.CandidateCounts[b];
        var width = batch.EmbeddingWidth;
        var unit = Unit(batch, b);
        var matrix = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                var dot = Dot(unit, width, i, j);
                matrix[(i * n) + j] = dot;
                matrix[(j * n) + i] = dot;
            }
        }

        return matrix;
    }

    private static double[] Unit(RerankBatch batch, int b)
    {
        var n = batch.CandidateCounts[b];
        var width = batch.EmbeddingWidth;
        var unit = new double[n * width];
        for (var i = 0; i < n; i++)
        {
            var e = batch.Embeddings.AsSpan(batch.CandidateOffset(b, i) * width, width);
            var norm = 0d;
            foreach (var v in e)
            {
                norm += (double)v * v;
            }

            // An item without an embedding (all zeros) is dissimilar to everything, itself included below.
            var scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
            for (var k = 0; k < width; k++)
            {
                unit[(i * width) + k] = e[k] * scale;
            }
        }

        return unit;
    }
}
