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
    /// [batch, n] (0: masked key) or null. Masked keys get −1e9 before the softmax (the engine's −∞: the same zero weight);
    /// <paramref name="causal"/> hides the keys after each query the same way.
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, OnnxValue? keyMask, string name, bool causal = false) => ToOnnx(graph, x, x, keyMask, name, causal);

    /// <summary>
    /// Attention from <paramref name="query"/> [batch, nq, d] to <paramref name="memory"/> [batch, nk, d] in
    /// <paramref name="graph"/>, as at inference; <paramref name="keyMask"/> float [batch, nk] (0: masked key) or null,
    /// masked keys getting −1e9 before the softmax; <paramref name="causal"/> as in <see cref="HeadsToOnnx"/>.
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue query, OnnxValue memory, OnnxValue? keyMask, string name, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var q = Query.ToOnnx(graph, query, $"{name}.query");
        var k = Key.ToOnnx(graph, memory, $"{name}.key");
        var v = Value.ToOnnx(graph, memory, $"{name}.value");
        return Output.ToOnnx(graph, HeadsToOnnx(graph, q, k, v, Heads, Dimension, keyMask, causal), $"{name}.output");
    }

    /// <summary>
    /// Scaled dot-product attention of projected <paramref name="q"/> <c>[batch, nq, d]</c> to <paramref name="k"/> and
    /// <paramref name="v"/> <c>[batch, nk, d]</c>, split into <paramref name="heads"/> heads and merged again, in
    /// <paramref name="graph"/>: <see cref="Ops.MultiHeadAttention"/> at inference (no projections).
    /// <paramref name="keyMask"/> float <c>[batch, nk]</c> (0: masked key) or null; masked keys get −1e9 before the softmax
    /// (the engine's −∞: the same zero weight). <paramref name="causal"/>: query i sees keys j ≤ i + nk − nq only, the
    /// later ones getting −1e9 too.
    /// </summary>
    public static OnnxValue HeadsToOnnx(OnnxGraph graph, OnnxValue q, OnnxValue k, OnnxValue v, int heads, int dimension, OnnxValue? keyMask, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (heads <= 0 || dimension % heads != 0)
        {
            throw new ArgumentException($"MultiHeadAttention: width {dimension} does not split into {heads} heads.", nameof(heads));
        }

        var dh = dimension / heads;
        OnnxValue Split(OnnxValue t, params long[] perm) => graph.Transpose(graph.Reshape(t, 0, 0, heads, dh), perm);
        var scores = graph.Mul(graph.MatMul(Split(q, 0, 2, 1, 3), Split(k, 0, 2, 3, 1)), graph.Scalar(1f / MathF.Sqrt(dh)));
        if (keyMask is not null)
        {
            var bias = graph.Mul(graph.Sub(keyMask, graph.Scalar(1f)), graph.Scalar(1e9f));
            scores = graph.Add(scores, graph.Unsqueeze(bias, 1, 2));
        }

        if (causal)
        {
            // Key j is hidden from query i when j > i + nk − nq: a [nq, nk] bias broadcast over batch and heads.
            var nq = graph.Squeeze(graph.Shape(q, 1, 2), 0);
            var nk = graph.Squeeze(graph.Shape(k, 1, 2), 0);
            var one = graph.Scalar(1L);
            var last = graph.Add(graph.Range(graph.Scalar(0L), nq, one), graph.Sub(nk, nq)); // the last key each query sees
            var hidden = graph.Less(graph.Unsqueeze(last, 1), graph.Unsqueeze(graph.Range(graph.Scalar(0L), nk, one), 0));
            scores = graph.Add(scores, graph.Mul(graph.Cast(hidden, OnnxType.Float), graph.Scalar(-1e9f)));
        }

        var o = graph.MatMul(graph.Softmax(scores, -1), Split(v, 0, 2, 1, 3));
        return graph.Reshape(graph.Transpose(o, 0, 2, 1, 3), 0, 0, dimension);
    }
}
