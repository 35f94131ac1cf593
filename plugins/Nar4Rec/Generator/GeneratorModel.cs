using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// The matching model of §4.1: a candidates encoder (stacked bidirectional self-attention + FFN, eq. 7–10) over the
/// projected candidate features, a position encoder (learnable position embeddings shared across samples, each layer
/// self-attention, cross-attention to the candidates encoder with Q = TW^Q, K = XW^K, V = XW^V (eq. 11), FFN), and the
/// probability matrix p̂_ij = softmax_i(x_iᵀ t_j) over the candidates of each position (eq. 12), padding masked to −∞.
/// </summary>
internal sealed class GeneratorModel : Module
{
    private readonly TransformerDecoderLayer[] _positionLayers;
    private readonly float _scale;

    public GeneratorModel(FeatureSchema schema, GeneratorOptions o, Rng rng)
    {
        Features = Child("features", new CandidateProjection(schema, o.FieldWidth, o.Dimension, rng));
        CandidatesEncoder = Child("candidates_encoder", new TransformerEncoder(o.CandidateLayers, o.Dimension, o.Heads, o.FeedForward, rng));
        Positions = Child("positions", new Embedding(o.Positions, o.Dimension, rng, 0.5f));
        _positionLayers = [.. Enumerable.Range(0, o.PositionLayers).Select(i => Child($"position_encoder_{i}", new TransformerDecoderLayer(o.Dimension, o.Heads, o.FeedForward, rng)))];
        PositionNorm = Child("position_norm", new LayerNorm(o.Dimension));
        MaxPositions = o.Positions;
        _scale = 1f / MathF.Sqrt(o.Dimension);
    }

    public CandidateProjection Features { get; }

    public TransformerEncoder CandidatesEncoder { get; }

    public Embedding Positions { get; }

    public LayerNorm PositionNorm { get; }

    public int MaxPositions { get; }

    /// <summary>Candidate representations x_i, <c>[B, N, d]</c> (candidates encoder output).</summary>
    public Tensor EncodeCandidates(RerankBatch batch, Tensor keyMask) => CandidatesEncoder.Forward(Features.Forward(batch), keyMask);

    /// <summary>
    /// Position representations t_j, <c>[B, m, d]</c> (position encoder output, eq. 11); request b's positions attend to its
    /// first <paramref name="lengths"/>[b] positions only, so a request's output does not depend on the batch around it.
    /// </summary>
    public Tensor EncodePositions(Tensor candidates, Tensor keyMask, int length, int[] lengths)
    {
        var (positions, selfMask) = PositionInputs(candidates.Shape[0], length, lengths);
        return EncodePositions(candidates, keyMask, positions, selfMask);
    }

    /// <summary>
    /// The position encoder's host-built inputs for <paramref name="batch"/> requests: the position embeddings
    /// <c>[batch, length, d]</c> (an id lookup) and the self-attention mask <c>[batch, length]</c> (request b's first
    /// max(1, <paramref name="lengths"/>[b]) positions).
    /// </summary>
    public (Tensor Positions, Tensor SelfMask) PositionInputs(int batch, int length, int[] lengths)
    {
        var ids = new int[batch * length];
        var valid = new float[batch * length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = i % length;
            valid[i] = (i % length) < Math.Max(1, lengths[i / length]) ? 1f : 0f;
        }

        var selfMask = Tensor.FromArray(valid, new TensorShape(batch, length), Device);
        return (Positions.Forward(ids, new TensorShape(batch, length)), selfMask);
    }

    /// <summary>The position encoder over its inputs (<see cref="PositionInputs"/>): device work only.</summary>
    public Tensor EncodePositions(Tensor candidates, Tensor keyMask, Tensor positions, Tensor selfMask)
    {
        var t = positions;
        foreach (var layer in _positionLayers)
        {
            t = layer.Forward(t, candidates, keyMask, causal: false, selfMask: selfMask); // bidirectional self-attention, eq. 11 cross-attention, FFN
        }

        return PositionNorm.Forward(t);
    }

    /// <summary>log p̂ as <c>[B, m, N]</c>: row j is the log-softmax over candidates of position j (eq. 12; column-wise in the paper's [n, m] layout).</summary>
    public Tensor LogProbabilities(Tensor candidates, Tensor positions, Tensor keyMask)
    {
        var b = candidates.Shape[0];
        var n = candidates.Shape[1];
        var scores = Ops.MatMul(positions, candidates, transB: true, alpha: _scale); // x_iᵀ t_j (scaled by 1/√d)
        return Ops.LogSoftmax(scores, Ops.Reshape(keyMask, new TensorShape(b, 1, n)));
    }

    /// <summary>
    /// The model in <paramref name="graph"/> as the scorer computes it: log p̂ <c>[batch, L, n]</c> with L the batch's
    /// largest slate_size (at least 1), request b's positions attending to its first max(1, min(slate size, candidates));
    /// padding candidates get −1e9 before the log-softmax (the engine's −∞). Returns the output and the declared inputs.
    /// </summary>
    public (OnnxValue LogProbabilities, IReadOnlyList<KeyValuePair<string, string>> Inputs) ToOnnx(OnnxGraph graph)
    {
        var projected = Features.ToOnnx(graph);
        var mask = projected.Mask;
        var candidates = CandidatesEncoder.ToOnnx(graph, projected.Items, mask, "candidates_encoder");
        var slateSize = graph.Input("slate_size", OnnxType.Int64, "batch");

        // L = max(1, max_b slate_size[b]); positions 0 … L − 1.
        var length = graph.Max(graph.ReduceMax(slateSize, false), graph.Scalar(1L));
        var ids = graph.Range(graph.Scalar(0L), length, graph.Scalar(1L));
        var zeros = graph.Unsqueeze(graph.Mul(graph.ReduceSum(mask, true, 1), graph.Scalar(0f)), -1); // [batch, 1, 1]
        var t = graph.Add(graph.Unsqueeze(Positions.ToOnnx(graph, ids, "positions.weight"), 0), zeros);

        // Request b's real positions: j < max(1, min(slate_size[b], candidates[b])).
        var count = graph.ReduceSum(mask, true, 1);
        var real = graph.Max(graph.Min(graph.Unsqueeze(graph.Cast(slateSize, OnnxType.Float), 1), count), graph.Scalar(1f));
        var selfMask = graph.Cast(graph.Less(graph.Unsqueeze(graph.Cast(ids, OnnxType.Float), 0), real), OnnxType.Float);
        for (var i = 0; i < _positionLayers.Length; i++)
        {
            t = _positionLayers[i].ToOnnx(graph, t, candidates, mask, selfMask, $"position_encoder_{i}");
        }

        t = PositionNorm.ToOnnx(graph, t, "position_norm");
        var scores = graph.Mul(graph.MatMul(t, graph.Transpose(candidates, 0, 2, 1)), graph.Scalar(_scale));
        var padding = graph.Unsqueeze(graph.Mul(graph.Sub(mask, graph.Scalar(1f)), graph.Scalar(1e9f)), 1);
        return (graph.LogSoftmax(graph.Add(scores, padding), -1), [.. projected.Inputs, new("slate_size", "slate_size")]);
    }

    /// <summary>The candidate mask tensor <c>[B, N]</c> on the model's device.</summary>
    public Tensor MaskOf(RerankBatch batch) => Tensor.FromArray(batch.CandidateMask, new TensorShape(batch.Count, batch.MaxCandidates), Device);
}
