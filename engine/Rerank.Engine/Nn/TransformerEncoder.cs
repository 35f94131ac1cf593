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
}
