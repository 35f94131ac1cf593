using Rerank.Engine.Onnx;

namespace Rerank.Engine.Nn;

/// <summary>The element-wise non-linearities modules can be configured with.</summary>
public enum Activation
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>GELU (tanh approximation).</summary>
    Gelu,

    /// <summary>tanh.</summary>
    Tanh,

    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
}

/// <summary>Applies an <see cref="Activation"/>.</summary>
public static class ActivationExtensions
{
    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/>.</summary>
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => Ops.Relu(x),
        Activation.Gelu => Ops.Gelu(x),
        Activation.Tanh => Ops.Tanh(x),
        Activation.Sigmoid => Ops.Sigmoid(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), $"Unknown activation {activation}."),
    };

    /// <summary>The activation in <paramref name="graph"/> (GELU as the engine computes it, the tanh approximation).</summary>
    public static OnnxValue ToOnnx(this Activation activation, OnnxGraph graph, OnnxValue x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return activation switch
        {
            Activation.Relu => graph.Relu(x),
            Activation.Tanh => graph.Tanh(x),
            Activation.Sigmoid => graph.Sigmoid(x),
            Activation.Gelu => graph.Mul(
                graph.Mul(x, graph.Scalar(0.5f)),
                graph.Add(graph.Scalar(1f), graph.Tanh(graph.Mul(graph.Scalar(0.7978845608f), graph.Add(x, graph.Mul(graph.Scalar(0.044715f), graph.Mul(x, graph.Mul(x, x)))))))),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), $"Unknown activation {activation}."),
        };
    }
}
