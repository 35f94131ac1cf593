using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// SetRank's multi-head attention block (Pang et al. 2020 eq. 4): MAB(Q, K) = LN(H + rFF(H)), H = LN(Q + Multihead(Q, K, K)).
/// </summary>
internal sealed class MultiheadAttentionBlock : Module
{
    private readonly MultiHeadAttention attention;
    private readonly LayerNorm first;
    private readonly Mlp feedForward;
    private readonly LayerNorm second;

    public MultiheadAttentionBlock(int width, int heads, float dropout, Rng rng)
    {
        attention = Child("attention", new MultiHeadAttention(width, heads, rng, dropout));
        first = Child("norm1", new LayerNorm(width));
        feedForward = Child("feed_forward", new Mlp([width, 2 * width, width], rng, Activation.Relu, dropout));
        second = Child("norm2", new LayerNorm(width));
    }

    /// <summary>Attends from <paramref name="query"/> to <paramref name="keys"/> (<paramref name="keyMask"/>: 1 for real keys).</summary>
    public Tensor Forward(Tensor query, Tensor keys, Tensor? keyMask)
    {
        var h = first.Forward(Ops.Add(query, attention.Forward(query, keys, keyMask)));
        return second.Forward(Ops.Add(h, feedForward.Forward(h)));
    }
}
