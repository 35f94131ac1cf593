using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>A stack of pre-norm encoder layers followed by a final LayerNorm.</summary>
public sealed class TransformerEncoder : Module
{
    private readonly TransformerEncoderLayer[] _layers;

    /// <summary>Creates <paramref name="layers"/> layers.</summary>
    public TransformerEncoder(int layers, int dimension, int heads, int feedForward, Rng rng, float dropout = 0f, Activation activation = Activation.Gelu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        _layers = new TransformerEncoderLayer[layers];
        for (var i = 0; i < layers; i++)
        {
            _layers[i] = Child($"layers.{i}", new TransformerEncoderLayer(dimension, heads, feedForward, rng, dropout, activation));
        }

        Norm = Child("norm", new LayerNorm(dimension));
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;

    /// <summary>The final normalisation.</summary>
    public LayerNorm Norm { get; }

    /// <summary>Encodes x [B, N, d]; <paramref name="keyMask"/> [B, N] marks real items with 1.</summary>
    public Tensor Forward(Tensor x, Tensor? keyMask = null)
    {
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, keyMask);
        }

        return Norm.Forward(x);
    }

    /// <summary>The stack and its final norm in <paramref name="graph"/>, as at inference.</summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, OnnxValue? keyMask, string name)
    {
        for (var i = 0; i < _layers.Length; i++)
        {
            x = _layers[i].ToOnnx(graph, x, keyMask, $"{name}.layers.{i}");
        }

        return Norm.ToOnnx(graph, x, $"{name}.norm");
    }
}
