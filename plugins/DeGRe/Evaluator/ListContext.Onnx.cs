using Rerank.Engine.Onnx;

namespace Rerank.Plugins.DeGRe;

/// <summary>The list-context and history-affinity fields in an ONNX graph, for the lookahead evaluator's export.</summary>
internal static partial class ListContext
{
    /// <summary>
    /// The extra fields of every slate position, <c>[rows, l, W]</c> as <see cref="Compute(CandidateEncoding, int[], int, int)"/>
    /// gives them: the four list-context values against the positions before (when <paramref name="listContext"/>; all 0 at
    /// the first position), then the history affinity (when <paramref name="affinity"/>) over the
    /// <paramref name="window"/> most recent history items. Reads slate_embeddings (<paramref name="width"/> wide) and,
    /// for the affinity, history_embeddings and history_mask. Padding positions come after a slate's items, so no real
    /// position reads them.
    /// </summary>
    public static OnnxValue ToOnnx(OnnxInputs inputs, int width, bool listContext, bool affinity, int window)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var g = inputs.Graph;
        var embeddings = inputs.Get("slate_embeddings", OnnxType.Float, "rows", "l", width);
        var unit = g.Div(embeddings, NonZero(g, Norm(g, embeddings, 2))); // zero rows stay zero
        var parts = new List<OnnxValue>();
        if (listContext)
        {
            // c[t, s] = cos(e_t, e_s); the prefix of t is s < t.
            var cosines = g.MatMul(unit, g.Transpose(unit, 0, 2, 1)); // [rows, l, l]
            var positions = g.Range(g.Scalar(0L), g.Squeeze(g.Shape(embeddings, 1, 2), 0), g.Scalar(1L));
            var t = g.Unsqueeze(positions, 1); // [l, 1]
            var s = g.Unsqueeze(positions, 0); // [1, l]
            var before = g.Less(s, t);
            var beforeF = g.Cast(before, OnnxType.Float);
            var hasPrefix = g.Unsqueeze(g.Greater(positions, g.Scalar(0L)), 0); // [1, l]
            var max = g.Where(hasPrefix, g.ReduceMax(g.Where(before, cosines, g.Scalar(-3e38f)), false, 2), g.Scalar(0f));
            var positive = g.ReduceSum(g.Mul(g.Relu(cosines), beforeF), false, 2);
            var mean = g.Div(g.ReduceSum(g.Mul(cosines, beforeF), false, 2), g.Max(g.Unsqueeze(g.Cast(positions, OnnxType.Float), 0), g.Scalar(1f)));
            var previous = g.ReduceSum(g.Mul(cosines, g.Cast(g.Equal(s, g.Sub(t, g.Scalar(1L))), OnnxType.Float)), false, 2);
            parts.AddRange([max, positive, mean, previous]);
        }

        if (affinity)
        {
            // cos(Σ recent history embeddings, unit content), 0 without history.
            var (summed, _) = inputs.RecentHistory(width, window); // [rows, w]
            var norm = Norm(g, summed, 1); // [rows, 1]
            var dot = g.Squeeze(g.MatMul(unit, g.Unsqueeze(summed, -1)), 2); // [rows, l]
            parts.Add(g.Where(g.Greater(norm, g.Scalar(0f)), g.Div(dot, NonZero(g, norm)), g.Scalar(0f)));
        }

        return g.Concat(2, [.. parts.Select(p => g.Unsqueeze(p, -1))]);
    }

    /// <summary>The Euclidean norm along <paramref name="axis"/>, kept as a size-1 axis.</summary>
    private static OnnxValue Norm(OnnxGraph g, OnnxValue x, long axis) => g.Sqrt(g.ReduceSum(g.Mul(x, x), true, axis));

    /// <summary><paramref name="norm"/> with zeros replaced by 1 (a zero vector divided by it stays zero).</summary>
    private static OnnxValue NonZero(OnnxGraph g, OnnxValue norm) => g.Where(g.Greater(norm, g.Scalar(0f)), norm, g.Scalar(1f));
}
