using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>
/// A pre-norm Transformer encoder layer: h = x + Dropout(SelfAttention(LN₁(x))); y = h + Dropout(FFN(LN₂(h))),
/// FFN = Linear(d, d_ff) → activation → Dropout → Linear(d_ff, d).
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    private readonly Dropout _dropout;

    /// <summary>Creates the layer.</summary>
    public TransformerEncoderLayer(int dimension, int heads, int feedForward, Rng rng, float dropout = 0f, Activation activation = Activation.Gelu)
    {
        Norm1 = Child("norm1", new LayerNorm(dimension));
        Attention = Child("attention", new MultiHeadAttention(dimension, heads, rng, dropout));
        Norm2 = Child("norm2", new LayerNorm(dimension));
        FeedForward = Child("feed_forward", new Mlp([dimension, feedForward, dimension], rng, activation, dropout));
        _dropout = Child("dropout", new Dropout(dropout, rng));
    }

    /// <summary>LN₁.</summary>
    public LayerNorm Norm1 { get; }

    /// <summary>The self-attention.</summary>
    public MultiHeadAttention Attention { get; }

    /// <summary>LN₂.</summary>
    public LayerNorm Norm2 { get; }

    /// <summary>The position-wise feed-forward network.</summary>
    public Mlp FeedForward { get; }

    /// <summary>Applies the layer to x [B, N, d]; <paramref name="keyMask"/> [B, N] marks real items with 1.</summary>
    public Tensor Forward(Tensor x, Tensor? keyMask = null, bool causal = false)
    {
        var n = Norm1.Forward(x);
        var h = Ops.Add(x, _dropout.Forward(Attention.Forward(n, n, keyMask, causal)));
        return Ops.Add(h, _dropout.Forward(FeedForward.Forward(Norm2.Forward(h))));
    }

    /// <summary>The pre-norm layer in <paramref name="graph"/>, as at inference; <paramref name="causal"/> as in <see cref="Forward"/>.</summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, OnnxValue? keyMask, string name, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var n = Norm1.ToOnnx(graph, x, $"{name}.norm1");
        var h = graph.Add(x, Attention.ToOnnx(graph, n, keyMask, $"{name}.attention", causal));
        return graph.Add(h, FeedForward.ToOnnx(graph, Norm2.ToOnnx(graph, h, $"{name}.norm2"), $"{name}.feed_forward"));
    }
}
