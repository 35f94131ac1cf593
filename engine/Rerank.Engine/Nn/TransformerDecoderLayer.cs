using Rerank.Engine.Onnx;

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

    /// <summary>
    /// The layer in <paramref name="graph"/>, as at inference: x [batch, t, d] with <paramref name="selfMask"/>
    /// [batch, t] (or null) attends to itself — bidirectionally, or causally when <paramref name="causal"/> — then to
    /// <paramref name="memory"/> [batch, n, d] with <paramref name="memoryMask"/> [batch, n] (or null).
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, OnnxValue memory, OnnxValue? memoryMask, OnnxValue? selfMask, string name, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var n1 = Norm1.ToOnnx(graph, x, $"{name}.norm1");
        var h = graph.Add(x, SelfAttention.ToOnnx(graph, n1, n1, selfMask, $"{name}.self_attention", causal));
        var h2 = graph.Add(h, CrossAttention.ToOnnx(graph, Norm2.ToOnnx(graph, h, $"{name}.norm2"), memory, memoryMask, $"{name}.cross_attention"));
        return graph.Add(h2, FeedForward.ToOnnx(graph, Norm3.ToOnnx(graph, h2, $"{name}.norm3"), $"{name}.feed_forward"));
    }
}
