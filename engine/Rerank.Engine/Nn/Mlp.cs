using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>A stack of Linear layers with an activation (and dropout) between them, none after the last.</summary>
public sealed class Mlp : Module
{
    private readonly Linear[] _layers;
    private readonly Dropout _dropout;

    /// <summary>Creates layers widths[0]→widths[1]→…→widths[^1].</summary>
    /// <exception cref="ArgumentException">Fewer than two widths.</exception>
    public Mlp(IReadOnlyList<int> widths, Rng rng, Activation activation = Activation.Relu, float dropout = 0f)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2)
        {
            throw new ArgumentException($"Mlp needs at least an input and an output width, got {widths.Count}.", nameof(widths));
        }

        Activation = activation;
        _layers = new Linear[widths.Count - 1];
        for (var i = 0; i < _layers.Length; i++)
        {
            _layers[i] = Child($"layers.{i}", new Linear(widths[i], widths[i + 1], rng));
        }

        _dropout = Child("dropout", new Dropout(dropout, rng));
    }

    /// <summary>The hidden activation.</summary>
    public Activation Activation { get; }

    /// <summary>The Linear layers, input first.</summary>
    internal IReadOnlyList<Linear> Layers => _layers;

    /// <summary>The dropout between layers.</summary>
    internal Dropout Dropout => _dropout;

    /// <summary>Applies the stack to x [..., widths[0]].</summary>
    public Tensor Forward(Tensor x)
    {
        for (var i = 0; i < _layers.Length; i++)
        {
            x = i < _layers.Length - 1 ? _dropout.Forward(_layers[i].Forward(x, Activation)) : _layers[i].Forward(x);
        }

        return x;
    }

    /// <summary>The stack in <paramref name="graph"/> as at inference (no dropout), weights named after <paramref name="name"/>.</summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, string name)
    {
        for (var i = 0; i < _layers.Length; i++)
        {
            x = _layers[i].ToOnnx(graph, x, $"{name}.layers.{i}");
            if (i < _layers.Length - 1)
            {
                x = Activation.ToOnnx(graph, x);
            }
        }

        return x;
    }
}
