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
}
