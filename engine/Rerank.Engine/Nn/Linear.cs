using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>y = x·Wᵀ + b, W [out, in] (PyTorch layout, so checkpoints interoperate); init U(−1/√in, 1/√in).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with weights drawn from <paramref name="rng"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var bound = 1f / MathF.Sqrt(inFeatures);
        Weight = Parameter("weight", Tensor.Uniform(new TensorShape(outFeatures, inFeatures), rng, -bound, bound));
        Bias = bias ? Parameter("bias", Tensor.Uniform(new TensorShape(outFeatures), rng, -bound, bound)) : null;
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the layer to x [..., in] → [..., out].</summary>
    /// <exception cref="ArgumentException">The last dim of x is not <see cref="InFeatures"/>.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Shape.Last != InFeatures)
        {
            throw new ArgumentException($"Linear({InFeatures}→{OutFeatures}): input {x.Shape} has last dim {x.Shape.Last}.", nameof(x));
        }

        return Ops.Linear(x, Weight, Bias);
    }

    /// <summary>act(Forward(x)) for ReLU/GELU, fused into the GEMM when no gradient is recorded.</summary>
    internal Tensor Forward(Tensor x, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Shape.Last != InFeatures)
        {
            throw new ArgumentException($"Linear({InFeatures}→{OutFeatures}): input {x.Shape} has last dim {x.Shape.Last}.", nameof(x));
        }

        return activation switch
        {
            Activation.Relu => Ops.LinearActivated(x, Weight, Bias, Backends.UnaryOp.Relu),
            Activation.Gelu => Ops.LinearActivated(x, Weight, Bias, Backends.UnaryOp.Gelu),
            _ => activation.Apply(Forward(x)),
        };
    }

    /// <summary>
    /// The layer in <paramref name="graph"/>: x [..., in] → x·Wᵀ + b, weights as initializers named after
    /// <paramref name="name"/> (shared: calling it again with the same name, e.g. at every step of an unrolled decode,
    /// reads the same weights).
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var weight = graph.SharedInitializer($"{name}.weight_t", () =>
        {
            var w = Weight.ToArray();
            var wt = new float[w.Length];
            for (var o = 0; o < OutFeatures; o++)
            {
                for (var i = 0; i < InFeatures; i++)
                {
                    wt[(i * OutFeatures) + o] = w[(o * InFeatures) + i];
                }
            }

            return OnnxTensor.Floats(wt, InFeatures, OutFeatures);
        });
        var y = graph.MatMul(x, weight);
        return Bias is null ? y : graph.Add(y, graph.SharedInitializer($"{name}.bias", () => OnnxTensor.From(Bias)));
    }
}
