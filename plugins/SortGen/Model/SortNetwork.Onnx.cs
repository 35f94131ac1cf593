using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The inputs of eq. 3 in an ONNX graph, as <see cref="SortFeatures"/> holds them: item categorical ids
/// <c>[rows, t, C]</c> (null without item fields), user categorical ids <c>[rows, Cu]</c> (null without user fields), the
/// dense inputs <c>[rows, t, D]</c> and the mask <c>[rows, t]</c> (1 at real positions, which come first).
/// </summary>
internal sealed record SortOnnxFeatures(OnnxValue? ItemIds, OnnxValue? UserIds, OnnxValue Dense, OnnxValue Mask);

/// <summary>
/// Sequences as <see cref="SortNetwork"/> reads them in an ONNX graph: each position's item part (item field embeddings
/// ‖ dense inputs) <c>[rows, t, W]</c>, the user field embeddings <c>[rows, U]</c> (null without user fields) and the
/// mask <c>[rows, t]</c>.
/// </summary>
internal sealed record SortOnnxRows(OnnxValue Items, OnnxValue? User, OnnxValue Mask);

internal sealed partial class SortNetwork
{
    /// <summary>
    /// Embeds <paramref name="features"/>: the item part <c>[rows, t, C·e + D]</c> (field embeddings ‖ dense) and the user
    /// embeddings <c>[rows, Cu·e]</c>, with the mask — what <see cref="ToOnnx"/> reads (a generator gathers item parts
    /// into sequences).
    /// </summary>
    public SortOnnxRows Embed(OnnxGraph graph, SortOnnxFeatures features)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(features);
        var items = new List<OnnxValue>();
        for (var k = 0; k < _itemEmbeddings.Length; k++)
        {
            items.Add(_itemEmbeddings[k].ToOnnx(graph, graph.Gather(features.ItemIds!, graph.Scalar((long)k), axis: 2), $"item.{ItemFieldNames[k]}.weight"));
        }

        items.Add(features.Dense);
        var user = _userEmbeddings
            .Select((embedding, k) => embedding.ToOnnx(graph, graph.Gather(features.UserIds!, graph.Scalar((long)k), axis: 1), $"user.{UserFieldNames[k]}.weight"))
            .ToArray();
        return new SortOnnxRows(graph.Concat(2, [.. items]), user.Length == 0 ? null : graph.Concat(1, user), features.Mask);
    }

    /// <summary>
    /// The network in <paramref name="graph"/> as <see cref="Forward"/> and <see cref="OrderedRegression.ExpectedCounts"/>
    /// compute it at inference: E[clicks among the first j+1] and E[pays among the first j+1] for every position of every
    /// row, <c>[rows, t]</c> each. The input is E_item ‖ E_position ‖ E_user ‖ dense (eq. 3); padding positions get zero
    /// inputs (as the engine's −1 ids), and the causal layers keep them from the real ones; t must not exceed max_length
    /// (ONNX Runtime refuses the slice otherwise).
    /// </summary>
    public (OnnxValue Click, OnnxValue Pay) ToOnnx(OnnxGraph graph, SortOnnxRows rows)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(rows);
        var real = graph.Unsqueeze(rows.Mask, -1); // [rows, t, 1]
        var length = graph.Shape(rows.Mask, 1, 2);
        var embedded = _itemEmbeddings.Length * _embeddingDim;
        var width = graph.Shape(rows.Items, 2, 3);
        var parts = new List<OnnxValue>();
        if (embedded > 0)
        {
            parts.Add(graph.Slice(rows.Items, graph.Int64s(0), graph.Int64s(embedded), 2));
        }

        var positions = graph.Range(graph.Scalar(0L), graph.Squeeze(length, 0), graph.Scalar(1L));
        parts.Add(graph.Add(graph.Unsqueeze(Position.ToOnnx(graph, positions, "position.weight"), 0), graph.Mul(real, graph.Scalar(0f))));
        if (rows.User is not null)
        {
            parts.Add(graph.Add(graph.Unsqueeze(rows.User, 1), graph.Mul(real, graph.Scalar(0f))));
        }

        parts.Add(graph.Slice(rows.Items, graph.Int64s(embedded), width, 2));
        var x = Input.ToOnnx(graph, graph.Mul(graph.Concat(2, [.. parts]), real), "input"); // eq. 3, projected to the transformer width
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
