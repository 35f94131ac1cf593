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
        ArgumentNullException.ThrowIfNull(x);
        if (FusedWeights() is { } weights && Ops.EncoderLayerInference(x, keyMask, causal, weights) is { } fused)
        {
            return fused;
        }

        var n = Norm1.Forward(x);
        var h = Ops.Add(x, _dropout.Forward(Attention.Forward(n, n, keyMask, causal)));
        return Ops.Add(h, _dropout.Forward(FeedForward.Forward(Norm2.Forward(h))));
    }

    /// <summary>
    /// The parameters for the fused inference kernel, or null when the layer cannot run fused: a dropout is active
    /// (training with p &gt; 0), or the FFN is not Linear → ReLU/GELU → Linear.
    /// </summary>
    internal Backends.EncoderLayerWeights? FusedWeights()
    {
        var ffn = FeedForward;
        if ((Training && _dropout.Probability > 0f) || (Attention.Training && Attention.DropoutProbability > 0f)
            || (ffn.Dropout.Training && ffn.Dropout.Probability > 0f) || ffn.Layers.Count != 2)
        {
            return null;
        }

        Backends.UnaryOp activation;
        switch (ffn.Activation)
        {
            case Activation.Gelu:
                activation = Backends.UnaryOp.Gelu;
                break;
            case Activation.Relu:
                activation = Backends.UnaryOp.Relu;
                break;
            default:
                return null;
        }

        var a = Attention;
        return new Backends.EncoderLayerWeights(
            Norm1.Gamma,
            Norm1.Beta,
            Norm1.Epsilon,
            a.Query.Weight,
            a.Query.Bias,
            a.Key.Weight,
            a.Key.Bias,
            a.Value.Weight,
            a.Value.Bias,
            a.Output.Weight,
            a.Output.Bias,
            a.Heads,
            Norm2.Gamma,
            Norm2.Beta,
            Norm2.Epsilon,
            ffn.Layers[0].Weight,
            ffn.Layers[0].Bias,
            activation,
            ffn.Layers[1].Weight,
            ffn.Layers[1].Bias);
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
