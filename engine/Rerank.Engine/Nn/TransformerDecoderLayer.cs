namespace Rerank.Engine.Nn;

/// <summary>
/// A pre-norm Transformer decoder layer: causal self-attention, cross-attention to an encoder memory, then the
/// feed-forward network, each as x + Dropout(sublayer(LN(x))).
/// </summary>
public sealed class TransformerDecoderLayer : Module
{
    private readonly Dropout _dropout;

    /// <summary>Creates the layer.</summary>
    public TransformerDecoderLayer(int dimension, int heads, int feedForward, Rng rng, float dropout = 0f, Activation activation = Activation.Gelu)
    {
        Norm1 = Child("norm1", new LayerNorm(dimension));
        SelfAttention = Child("self_attention", new MultiHeadAttention(dimension, heads, rng, dropout));
        Norm2 = Child("norm2", new LayerNorm(dimension));
        CrossAttention = Child("cross_attention", new MultiHeadAttention(dimension, heads, rng, dropout));
        Norm3 = Child("norm3", new LayerNorm(dimension));
        FeedForward = Child("feed_forward", new Mlp([dimension, feedForward, dimension], rng, activation, dropout));
        _dropout = Child("dropout", new Dropout(dropout, rng));
    }

    /// <summary>LN before self-attention.</summary>
    public LayerNorm Norm1 { get; }

    /// <summary>The (causal) self-attention.</summary>
    public MultiHeadAttention SelfAttention { get; }

    /// <summary>LN before cross-attention.</summary>
    public LayerNorm Norm2 { get; }

    /// <summary>Attention to the memory.</summary>
    public MultiHeadAttention CrossAttention { get; }

    /// <summary>LN before the feed-forward network.</summary>
    public LayerNorm Norm3 { get; }

    /// <summary>The position-wise feed-forward network.</summary>
    public Mlp FeedForward { get; }

    /// <summary>
    /// Decodes x [B, T, d] against <paramref name="memory"/> [B, N, d]. Self-attention is causal unless
    /// <paramref name="causal"/> is false; <paramref name="memoryMask"/> [B, N] marks real memory items.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor memory, Tensor? memoryMask = null, bool causal = true, Tensor? selfMask = null)
    {
        var n1 = Norm1.Forward(x);
        var h = Ops.Add(x, _dropout.Forward(SelfAttention.Forward(n1, n1, selfMask, causal)));
        var h2 = Ops.Add(h, _dropout.Forward(CrossAttention.Forward(Norm2.Forward(h), memory, memoryMask)));
        return Ops.Add(h2, _dropout.Forward(FeedForward.Forward(Norm3.Forward(h2))));
    }
}
