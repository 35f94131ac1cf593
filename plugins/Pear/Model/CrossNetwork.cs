using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.Pear;

/// <summary>The cross network of DCN (Wang et al. 2017, eq. 3): x_{l+1} = x_0 (x_lᵀ w_l) + b_l + x_l.</summary>
internal sealed class CrossNetwork : Module
{
    private readonly Linear[] weights;
    private readonly Tensor[] biases;

    public CrossNetwork(int width, int layers, Rng rng)
    {
        weights = new Linear[layers];
        biases = new Tensor[layers];
        for (var l = 0; l < layers; l++)
        {
            weights[l] = Child($"cross.{l}", new Linear(width, 1, rng, bias: false));
            biases[l] = Parameter($"bias.{l}", Tensor.Zeros(width));
        }
    }

    /// <summary>Applies every cross layer to x0 <c>[…, D]</c>.</summary>
    public Tensor Forward(Tensor x0)
    {
        var x = x0;
        for (var l = 0; l < weights.Length; l++)
        {
            x = Ops.Add(Ops.Add(Ops.Mul(x0, weights[l].Forward(x)), biases[l]), x);
        }

        return x;
    }
}
