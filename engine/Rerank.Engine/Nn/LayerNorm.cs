using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>Layer normalisation over the last dim with learned γ (ones) and β (zeros).</summary>
public sealed class LayerNorm : Module
{
    /// <summary>Creates the layer for width <paramref name="dimension"/>.</summary>
    public LayerNorm(int dimension, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Epsilon = epsilon;
        Gamma = Parameter("weight", Tensor.Full(new TensorShape(dimension), 1f));
        Beta = Parameter("bias", Tensor.Zeros(new TensorShape(dimension)));
    }

    /// <summary>The variance floor.</summary>
    public float Epsilon { get; }

    /// <summary>The scale γ.</summary>
    public Tensor Gamma { get; }

    /// <summary>The shift β.</summary>
    public Tensor Beta { get; }

    /// <summary>Normalises x [..., D].</summary>
    public Tensor Forward(Tensor x) => Ops.LayerNorm(x, Gamma, Beta, Epsilon);

    /// <summary>The normalisation over the last axis in <paramref name="graph"/> (LayerNormalization, opset 17; γ and β shared by every call with <paramref name="name"/>).</summary>
    public OnnxValue ToOnnx(OnnxGraph graph, OnnxValue x, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.LayerNormalization(x, graph.SharedInitializer($"{name}.weight", () => OnnxTensor.From(Gamma)), graph.SharedInitializer($"{name}.bias", () => OnnxTensor.From(Beta)), Epsilon);
    }
}
