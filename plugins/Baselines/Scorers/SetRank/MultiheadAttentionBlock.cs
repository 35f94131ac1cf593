using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// SetRank's multi-head attention block (Pang et al. 2020 eq. 4): MAB(Q, K) = LN(H + rFF(H)), H = LN(Q + Multihead(Q, K, K)).
/// </summary>
internal sealed class MultiheadAttentionBlock : Module
{
    private readonly MultiHeadAttention _attention;
    private readonly LayerNorm _first;
    private readonly Mlp _feedForward;
    private readonly LayerNorm _second;

    public MultiheadAttentionBlock(int width, int heads, float dropout, Rng rng)
    {
        _attention = Child("attention", new MultiHeadAttention(width, heads, rng, dropout));
        _first = Child("norm1", new LayerNorm(width));
        _feedForward = Child("feed_forward", new Mlp([width, 2 * width, width], rng, Activation.Relu, dropout));
        _second = Child("norm2", new LayerNorm(width));
    }

    /// <summary>Attends from <paramref name="query"/> to <paramref name="keys"/> (<paramref name="keyMask"/>: 1 for real keys).</summary>
    public Tensor Forward(Tensor query, Tensor keys, Tensor? keyMask)
    {
        var h = _first.Forward(Ops.Add(query, _attention.Forward(query, keys, keyMask)));
        return _second.Forward(Ops.Add(h, _feedForward.Forward(h)));
    }

    /// <summary>The block in <paramref name="graph"/>, as <see cref="Forward"/> at inference; weights named after <paramref name="name"/>.</summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue query, OnnxValue keys, OnnxValue? keyMask, string name)
    {
        var h = _first.ToOnnx(graph, graph.Add(query, _attention.ToOnnx(graph, query, keys, keyMask, $"{name}.attention")), $"{name}.norm1");
        return _second.ToOnnx(graph, graph.Add(h, _feedForward.ToOnnx(graph, h, $"{name}.feed_forward")), $"{name}.norm2");
    }
}
