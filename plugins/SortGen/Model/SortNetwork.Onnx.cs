using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// Sequences for SORT in an ONNX graph, as <see cref="SortFeatures"/> holds them: item categorical ids <c>[rows, t, C]</c>
/// (null without item fields), user categorical ids <c>[rows, Cu]</c> (null without user fields), the dense inputs
/// <c>[rows, t, D]</c> and the mask <c>[rows, t]</c> (1 at real positions, which come first).
/// </summary>
internal sealed record SortOnnxRows(OnnxValue? ItemIds, OnnxValue? UserIds, OnnxValue Dense, OnnxValue Mask);

internal sealed partial class SortNetwork
{
    /// <summary>
    /// The network in <paramref name="graph"/> as <see cref="Forward"/> and <see cref="OrderedRegression.ExpectedCounts"/>
    /// compute it at inference: E[clicks among the first j+1] and E[pays among the first j+1] for every position of every
    /// row, <c>[rows, t]</c> each. Padding positions get zero inputs (as the engine's −1 ids), and the causal layers keep
    /// them from the real ones; t must not exceed max_length (ONNX Runtime refuses the slice otherwise).
    /// </summary>
    public (OnnxValue Click, OnnxValue Pay) ToOnnx(OnnxGraph graph, SortOnnxRows rows)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(rows);
        var real = graph.Unsqueeze(rows.Mask, -1); // [rows, t, 1]
        var length = graph.Shape(rows.Mask, 1, 2);
        var parts = new List<OnnxValue>();
        for (var k = 0; k < _itemEmbeddings.Length; k++)
        {
            var ids = graph.Gather(rows.ItemIds!, graph.Scalar((long)k), axis: 2);
            parts.Add(graph.Mul(_itemEmbeddings[k].ToOnnx(graph, ids, $"item.{ItemFieldNames[k]}.weight"), real));
        }

        var positions = graph.Range(graph.Scalar(0L), graph.Squeeze(length, 0), graph.Scalar(1L));
        parts.Add(graph.Mul(graph.Unsqueeze(Position.ToOnnx(graph, positions, "position.weight"), 0), real));
        for (var k = 0; k < _userEmbeddings.Length; k++)
        {
            var ids = graph.Gather(rows.UserIds!, graph.Scalar((long)k), axis: 1);
            parts.Add(graph.Mul(graph.Unsqueeze(_userEmbeddings[k].ToOnnx(graph, ids, $"user.{UserFieldNames[k]}.weight"), 1), real));
        }

        parts.Add(graph.Mul(rows.Dense, real));
        var x = Input.ToOnnx(graph, graph.Concat(2, [.. parts]), "input"); // eq. 3, projected to the transformer width
        for (var l = 0; l < _layers.Length; l++)
        {
            x = _layers[l].ToOnnx(graph, x, null, $"layers.{l}", causal: true);
        }

        x = Norm.ToOnnx(graph, x, "norm");
        return (ExpectedCounts(graph, Click.ToOnnx(graph, x, "click"), length), ExpectedCounts(graph, Pay.ToOnnx(graph, x, "pay"), length));
    }

    /// <summary>
    /// E[count_j] <c>[rows, t]</c> from a head's outputs: ordered, Σ_{i≤j} σ(θ_{i,j}) with the block of position j
    /// (eq. 5); point-wise, the running sum of σ(z).
    /// </summary>
    private OnnxValue ExpectedCounts(OnnxGraph graph, OnnxValue heads, OnnxValue length)
    {
        if (!_ordered)
        {
            return graph.CumSum(graph.Squeeze(graph.Sigmoid(heads), 2), 1);
        }

        var l = _maxLength;
        var eye = new float[l * l];
        var lower = new float[l * l];
        for (var j = 0; j < l; j++)
        {
            eye[(j * l) + j] = 1f;
            for (var i = 0; i <= j; i++)
            {
                lower[(j * l) + i] = 1f;
            }
        }

        // Position j keeps block j of the max_length² outputs, then sums σ over the thresholds i ≤ j.
        var zero = graph.Int64s(0);
        var select = graph.Slice(graph.SharedInitializer("thresholds.select", () => OnnxTensor.Floats(eye, l, l)), zero, length, 0);
        var valid = graph.Slice(graph.SharedInitializer("thresholds.valid", () => OnnxTensor.Floats(lower, l, l)), zero, length, 0);
        var blocks = graph.Reshape(heads, 0, 0, l, l);
        var picked = graph.ReduceSum(graph.Mul(blocks, graph.Unsqueeze(select, 0, 3)), false, 2);
        return graph.ReduceSum(graph.Mul(graph.Sigmoid(picked), valid), false, 2);
    }
}
