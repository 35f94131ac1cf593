using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Pear;

/// <summary>PEAR's item head in an ONNX graph, as <see cref="PearModel.Forward"/> computes it at inference.</summary>
internal sealed partial class PearModel
{
    /// <summary>
    /// Item click logits <c>[batch, n]</c> (eq. 4) in <paramref name="graph"/> from the encoded features. The list and the
    /// kept history go through eq. 1 together (one interaction, row by row); the history self-attention (eq. 2) and the merged
    /// cross-attention (eq. 3) mask the history slots that are not kept, so the history keeps its fed slots: attention over
    /// a set does not see where its items sit, and the recency rank of a kept item is the number of kept items after it.
    /// A batch without history has zero-length history inputs, whose keys then drop out as the engine leaves them out.
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxEncoded x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(x);
        var d = _options.Hidden;
        var listInput = x.UserItem(graph);
        if (RecencyInputWidth > 0)
        {
            // List items are not history: zeros in the recency columns of eq. 1's input.
            var zeros = graph.Initializer("list.recency_zeros", OnnxTensor.Floats(new float[RecencyInputWidth], RecencyInputWidth));
            listInput = graph.Concat(2, listInput, graph.Mul(graph.Unsqueeze(graph.Mul(x.ListMask, graph.Scalar(0f)), -1), zeros));
        }

        var n = graph.Shape(x.ListMask, 1, 2);
        OnnxValue zs;
        OnnxValue? zb = null;
        if (x.History is { } history && x.HistoryMask is { } kept)
        {
            var historyInput = graph.Concat(2, x.UserPerSlot(graph, kept), history);
            if (_recency is not null && _options.HistoryPositionSite == HistoryPositionSite.Interaction)
            {
                historyInput = graph.Concat(2, historyInput, RecencyToOnnx(graph, kept));
            }

            var both = Interact(graph, graph.Concat(1, listInput, historyInput));
            zs = graph.Slice(both, graph.Int64s(0), n, 1);
            zb = graph.Slice(both, n, graph.Int64s(long.MaxValue), 1);
            if (_recency is not null && _options.HistoryPositionSite == HistoryPositionSite.Attention)
            {
                zb = graph.Add(zb, RecencyToOnnx(graph, kept));
            }
        }
        else
        {
            zs = Interact(graph, listInput);
        }

        // The CLS token closes the initial list.
        var batchZeros = graph.ReduceSum(graph.Mul(x.ListMask, graph.Scalar(0f)), true, 1); // [batch, 1]
        zs = graph.Concat(1, zs, graph.Add(graph.Initializer("cls", OnnxTensor.From(_cls)), graph.Unsqueeze(batchZeros, -1)));
        var keyMask = graph.Concat(1, x.ListMask, graph.Add(batchZeros, graph.Scalar(1f)));
        var q = _query.ToOnnx(graph, zs, "merged.query");
        var k = _listKey.ToOnnx(graph, zs, "merged.key_list");
        var v = _listValue.ToOnnx(graph, zs, "merged.value_list");
        if (zb is not null)
        {
            // eq. 2 over the kept history, then eq. 3: history keys and values before the list's.
            var hb = MultiHeadAttention.HeadsToOnnx(
                graph,
                _historyQuery.ToOnnx(graph, zb, "history.query"),
                _historyKey.ToOnnx(graph, zb, "history.key"),
                _historyValue.ToOnnx(graph, zb, "history.value"),
                _options.Heads,
                d,
                x.HistoryMask);
            k = graph.Concat(1, _historyKeyMerged.ToOnnx(graph, hb, "merged.key_history"), k);
            v = graph.Concat(1, _historyValueMerged.ToOnnx(graph, hb, "merged.value_history"), v);
            keyMask = graph.Concat(1, x.HistoryMask!, keyMask);
        }

        var hs = MultiHeadAttention.HeadsToOnnx(graph, q, k, v, _options.Heads, d, keyMask);
        if (_options.Residual)
        {
            hs = graph.Add(hs, zs);
        }

        return graph.Squeeze(_itemHead.ToOnnx(graph, graph.Slice(hs, graph.Int64s(0), n, 1), "item_head"), 2);
    }

    /// <summary>
    /// The recency embedding of every history slot, <c>[batch, h, width]</c>, as <see cref="Recency"/>: a kept item's rank is
    /// the number of kept items after it (0 = newest); other slots get id −1, a zero row.
    /// </summary>
    private OnnxValue RecencyToOnnx(OnnxGraph graph, OnnxValue kept)
    {
        var rank = graph.Sub(graph.ReduceSum(kept, true, 1), graph.CumSum(kept, 1));
        var ids = graph.Cast(graph.Sub(graph.Mul(graph.Add(rank, graph.Scalar(1f)), kept), graph.Scalar(1f)), OnnxType.Int64);
        return _recency!.ToOnnx(graph, ids, "history.recency.weight");
    }

    private OnnxValue Interact(OnnxGraph graph, OnnxValue x) =>
        _mlp is not null
            ? _mlp.ToOnnx(graph, x, "interaction")
            : _crossOut!.ToOnnx(graph, _cross!.ToOnnx(graph, x, "interaction.cross"), "interaction.output");
}
