using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>
/// The cross network of DCN (Wang et al. 2017, eq. 3): <c>x_{l+1} = x_0 (x_lᵀ w_l) + b_l + x_l</c>, layer after layer,
/// so that layer l holds feature crosses up to degree l + 1 at the cost of 2·D parameters per layer. Parameters:
/// <c>cross.{l}.weight</c> <c>[1, D]</c> and <c>bias.{l}</c> <c>[D]</c> (zeros at start).
/// </summary>
public sealed class CrossNetwork : Module
{
    private readonly Linear[] _weights;
    private readonly Tensor[] _biases;

    /// <summary>Creates <paramref name="layers"/> cross layers over vectors of width <paramref name="width"/>.</summary>
    /// <param name="width">D, the width of x_0.</param>
    /// <param name="layers">How many cross layers (0: the identity).</param>
    /// <param name="rng">Initialises each layer's w_l (drawn in layer order); the biases start at zero.</param>
    public CrossNetwork(int width, int layers, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
        _weights = new Linear[layers];
        _biases = new Tensor[layers];
        for (var l = 0; l < layers; l++)
        {
            _weights[l] = Child($"cross.{l}", new Linear(width, 1, rng, bias: false));
            _biases[l] = Parameter($"bias.{l}", Tensor.Zeros(width));
        }
    }

    /// <summary>How many cross layers there are.</summary>
    public int Layers => _weights.Length;

    /// <summary>Applies every cross layer to x0 <c>[…, D]</c>; the result has x0's shape.</summary>
    public Tensor Forward(Tensor x0)
    {
        var x = x0;
        for (var l = 0; l < _weights.Length; l++)
        {
            x = Ops.Add(Ops.Add(Ops.Mul(x0, _weights[l].Forward(x)), _biases[l]), x);
        }

        return x;
    }

    /// <summary>Every cross layer over x0 <c>[…, D]</c> in <paramref name="graph"/>, as <see cref="Forward"/>; weights named after <paramref name="name"/>.</summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x0, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var x = x0;
        for (var l = 0; l < _weights.Length; l++)
        {
            var projected = _weights[l].ToOnnx(graph, x, $"{name}.cross.{l}");
            x = graph.Add(graph.Add(graph.Mul(x0, projected), graph.Initializer($"{name}.bias.{l}", OnnxTensor.From(_biases[l]))), x);
        }

        return x;
    }
}
