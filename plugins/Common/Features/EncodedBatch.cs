using Rerank.Engine;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.Common;

/// <summary>The flattened features of one batch.</summary>
/// <param name="List">Candidate features, <c>[B, N, d_i]</c> (zero rows at padding).</param>
/// <param name="ListMask">1 for a real candidate, <c>[B, N]</c>.</param>
/// <param name="History">History features, <c>[B, H, d_i]</c>, or null when no history is used.</param>
/// <param name="HistoryMask">1 for a real history item, <c>[B, H]</c>, or null.</param>
/// <param name="User">User and context features, <c>[B, d_u]</c>.</param>
/// <param name="Counts">Candidates per request.</param>
public sealed record EncodedBatch(Tensor List, Tensor ListMask, Tensor? History, Tensor? HistoryMask, Tensor User, int[] Counts)
{
    /// <summary>B.</summary>
    public int Batch => List.Shape[0];

    /// <summary>N.</summary>
    public int Slots => List.Shape[1];

    /// <summary>User features repeated along <paramref name="slots"/> positions, <c>[B, slots, d_u]</c>.</summary>
    public Tensor UserPerSlot(int slots) =>
        Ops.Add(Ops.Reshape(User, new TensorShape(Batch, 1, User.Shape[1])), Tensor.Zeros(Batch, slots, User.Shape[1]));

    /// <summary>User ⊕ item for every candidate, <c>[B, N, d_u + d_i]</c>.</summary>
    public Tensor UserItem() => Ops.Concat([UserPerSlot(Slots), List], 2);

    /// <summary>Mean of the history features, <c>[B, d_i]</c> (zeros without history).</summary>
    public Tensor HistoryMean()
    {
        var width = List.Shape[2];
        if (History is null || HistoryMask is null)
        {
            return Tensor.Zeros(Batch, width);
        }

        var h = History.Shape[1];
        var counts = new float[Batch];
        var mask = HistoryMask.ToArray();
        for (var b = 0; b < Batch; b++)
        {
            var c = 0f;
            for (var t = 0; t < h; t++)
            {
                c += mask[(b * h) + t];
            }

            counts[b] = 1f / Math.Max(1f, c);
        }

        var summed = Ops.Sum(Ops.Mul(History, Ops.Reshape(HistoryMask, new TensorShape(Batch, h, 1))), 1);
        return Ops.Mul(summed, Tensor.FromArray(counts, new TensorShape(Batch, 1)));
    }
}

/// <summary>The flattened features in an ONNX graph (<see cref="FeatureEncoder.ToOnnx"/>).</summary>
/// <param name="User">User features, <c>[batch, d_u]</c>.</param>
/// <param name="List">Candidate features, <c>[batch, n, d_i]</c> (zero rows at padding).</param>
/// <param name="ListMask">1 for a real candidate, float <c>[batch, n]</c>.</param>
/// <param name="HistoryMean">Mean of the kept history items' features, <c>[batch, d_i]</c>, or null when no history is read.</param>
/// <param name="ItemWidth">d_i.</param>
/// <param name="Inputs">The graph inputs declared, each with the <c>onnx</c> plugin source that feeds it.</param>
/// <param name="History">
/// History features, <c>[batch, h, d_i]</c> over every fed history slot, zero rows but at the kept items, or null when no
/// history is read. Unlike <see cref="EncodedBatch.History"/> the kept items are not moved to the front: they keep their
/// slots (still oldest first), so a model that treats the history as a set (attention with <see cref="HistoryMask"/>) reads
/// the same items.
/// </param>
/// <param name="HistoryMask">1 for a kept history item (the newest <c>historyCap</c> real ones), float <c>[batch, h]</c>, or null.</param>
public sealed record OnnxEncoded(
    OnnxValue User,
    OnnxValue List,
    OnnxValue ListMask,
    OnnxValue? HistoryMean,
    int ItemWidth,
    IReadOnlyList<KeyValuePair<string, string>> Inputs,
    OnnxValue? History = null,
    OnnxValue? HistoryMask = null)
{
    /// <summary>The history mean, <c>[batch, d_i]</c>, zeros without history (as <see cref="EncodedBatch.HistoryMean"/>).</summary>
    public OnnxValue HistoryMeanOrZeros(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return HistoryMean ?? graph.Mul(
            graph.ReduceSum(graph.Mul(ListMask, graph.Scalar(0f)), true, 1),
            graph.Initializer("features.history.none", OnnxTensor.Floats(new float[ItemWidth], ItemWidth)));
    }

    /// <summary>User ⊕ item for every candidate, <c>[batch, n, d_u + d_i]</c>, as <see cref="EncodedBatch.UserItem"/>.</summary>
    public OnnxValue UserItem(OnnxGraph graph) => graph.Concat(2, UserPerSlot(graph, ListMask), List);

    /// <summary>User features repeated along the positions of <paramref name="mask"/> <c>[batch, slots]</c>, <c>[batch, slots, d_u]</c>, as <see cref="EncodedBatch.UserPerSlot"/>.</summary>
    public OnnxValue UserPerSlot(OnnxGraph graph, OnnxValue mask)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var zeros = graph.Unsqueeze(graph.Mul(mask, graph.Scalar(0f)), -1);
        return graph.Add(graph.Unsqueeze(User, 1), zeros);
    }
}
