using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>
/// Multi-head attention (Vaswani et al. §3.2.2): MultiHead(Q,K,V) = Concat(head_1..head_h)·W_O with
/// head_i = Attention(Q·W_Qi, K·W_Ki, V·W_Vi). Self-attention passes the same tensor as query and memory;
/// cross-attention passes the encoder output as memory.
/// </summary>
public sealed class MultiHeadAttention : Module
{
    private readonly Rng _rng;

    /// <summary>Creates the layer: <paramref name="dimension"/> must be divisible by <paramref name="heads"/>.</summary>
    /// <exception cref="ArgumentException">The width does not split into heads.</exception>
    public MultiHeadAttention(int dimension, int heads, Rng rng, float dropout = 0f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (heads <= 0 || dimension % heads != 0)
        {
            throw new ArgumentException($"MultiHeadAttention: width {dimension} does not split into {heads} heads.", nameof(heads));
        }

        Dimension = dimension;
        Heads = heads;
        DropoutProbability = dropout;
        Query = Child("query", new Linear(dimension, dimension, rng));
        Key = Child("key", new Linear(dimension, dimension, rng));
        Value = Child("value", new Linear(dimension, dimension, rng));
        Output = Child("output", new Linear(dimension, dimension, rng));
        _rng = new Rng(rng.NextUInt());
    }

    /// <summary>The model width d.</summary>
    public int Dimension { get; }

    /// <summary>The number of heads h.</summary>
    public int Heads { get; }

    /// <summary>Dropout on the attention weights (training only).</summary>
    public float DropoutProbability { get; }

    /// <summary>W_Q.</summary>
    public Linear Query { get; }

    /// <summary>W_K.</summary>
    public Linear Key { get; }

    /// <summary>W_V.</summary>
    public Linear Value { get; }

    /// <summary>W_O.</summary>
    public Linear Output { get; }

    /// <summary>
    /// Attends from <paramref name="query"/> [B, Nq, d] to <paramref name="memory"/> [B, Nk, d].
    /// <paramref name="keyMask"/> [B, Nk] is 1 for real keys and 0 for padding; <paramref name="causal"/> hides later keys.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    public Tensor Forward(Tensor query, Tensor memory, Tensor? keyMask = null, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(memory);
        if (query.Rank != 3 || memory.Rank != 3 || query.Shape[0] != memory.Shape[0] || query.Shape[2] != Dimension || memory.Shape[2] != Dimension)
        {
            throw new ArgumentException($"MultiHeadAttention(d={Dimension}): query {query.Shape} and memory {memory.Shape} must be [B, N, {Dimension}] with the same B.");
        }

        var merged = Ops.MultiHeadAttention(Query.Forward(query), Key.Forward(memory), Value.Forward(memory), Heads, keyMask, causal, DropoutProbability, _rng, Training);
        return Output.Forward(merged);
    }

    /// <summary>Self-attention: query and memory are <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x, Tensor? keyMask = null, bool causal = false) => Forward(x, x, keyMask, causal);

    /// <summary>
    /// Self-attention over x [batch, n, d] in <paramref name="graph"/>, as at inference; <paramref name="keyMask"/> float
    /// [batch, n] (0: masked key) or null; <paramref name="causal"/> hides later keys. Masked keys get −1e9 before the
    /// softmax (the engine's −∞: the same zero weight).
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, OnnxValue? keyMask, string name, bool causal = false) => ToOnnx(graph, x, x, keyMask, name, causal);

    /// <summary>
    /// Attention from <paramref name="query"/> [batch, nq, d] to <paramref name="memory"/> [batch, nk, d] in
    /// <paramref name="graph"/>, as at inference; <paramref name="keyMask"/> float [batch, nk] (0: masked key) or null,
    /// masked keys getting −1e9 before the softmax. <paramref name="causal"/>: query i sees keys ≤ i + nk − nq, as
    /// <see cref="Forward(Tensor, Tensor, Tensor?, bool)"/>.
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue query, OnnxValue memory, OnnxValue? keyMask, string name, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var dh = Dimension / Heads;
        OnnxValue Split(OnnxValue t, params long[] perm) => graph.Transpose(graph.Reshape(t, 0, 0, Heads, dh), perm);
        var q = Split(Query.ToOnnx(graph, query, $"{name}.query"), 0, 2, 1, 3);
        var k = Split(Key.ToOnnx(graph, memory, $"{name}.key"), 0, 2, 3, 1);
        var v = Split(Value.ToOnnx(graph, memory, $"{name}.value"), 0, 2, 1, 3);
        var scores = graph.Mul(graph.MatMul(q, k), graph.Scalar(1f / MathF.Sqrt(dh)));
        if (keyMask is not null)
        {
            var bias = graph.Mul(graph.Sub(keyMask, graph.Scalar(1f)), graph.Scalar(1e9f));
            scores = graph.Add(scores, graph.Unsqueeze(bias, 1, 2));
        }

        if (causal)
        {
            // Key j is hidden from query i when j > i + nk − nq: a [nq, nk] bias broadcast over batch and heads.
            var nq = graph.Squeeze(graph.Shape(query, 1, 2), 0);
            var nk = graph.Squeeze(graph.Shape(memory, 1, 2), 0);
            var last = graph.Add(graph.Range(graph.Scalar(0L), nq, graph.Scalar(1L)), graph.Sub(nk, nq));
            var keys = graph.Range(graph.Scalar(0L), nk, graph.Scalar(1L));
            var hidden = graph.Less(graph.Unsqueeze(last, 1), graph.Unsqueeze(keys, 0));
            scores = graph.Add(scores, graph.Mul(graph.Cast(hidden, OnnxType.Float), graph.Scalar(-1e9f)));
        }

        var o = graph.MatMul(graph.Softmax(scores, -1), v);
        var merged = graph.Reshape(graph.Transpose(o, 0, 2, 1, 3), 0, 0, Dimension);
        return Output.ToOnnx(graph, merged, $"{name}.output");
    }
}
