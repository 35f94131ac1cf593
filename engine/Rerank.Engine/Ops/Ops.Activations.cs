using Rerank.Engine.Backends;

namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => UnaryOp(Backends.UnaryOp.Relu, x, 1f, 0f);

    /// <summary>GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static Tensor Gelu(Tensor x) => UnaryOp(Backends.UnaryOp.Gelu, x, 1f, 0f);

    /// <summary>1 / (1 + e^{−x}).</summary>
    public static Tensor Sigmoid(Tensor x) => UnaryOp(Backends.UnaryOp.Sigmoid, x, 1f, 0f);

    /// <summary>tanh(x).</summary>
    public static Tensor Tanh(Tensor x) => UnaryOp(Backends.UnaryOp.Tanh, x, 1f, 0f);

    /// <summary>e^x.</summary>
    public static Tensor Exp(Tensor x) => UnaryOp(Backends.UnaryOp.Exp, x, 1f, 0f);

    /// <summary>ln x.</summary>
    public static Tensor Log(Tensor x) => UnaryOp(Backends.UnaryOp.Log, x, 1f, 0f);

    /// <summary>x².</summary>
    public static Tensor Square(Tensor x) => UnaryOp(Backends.UnaryOp.Square, x, 1f, 0f);

    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x) => UnaryOp(Backends.UnaryOp.Sqrt, x, 1f, 0f);

    private static Tensor UnaryOp(UnaryOp op, Tensor x, float alpha, float beta)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Out(x.Shape, x);
        B(x).Unary(op, x, y, alpha, beta);
        if (Tensor.NeedsGrad(x))
        {
            RecordUnary(op, x, y, alpha);
        }

        return y;
    }

    private static void RecordUnary(UnaryOp op, Tensor x, Tensor y, float alpha) =>
        Tensor.Record(
            y,
            op.ToString(),
            dy =>
            {
                var dx = Tensor.GradForProduct(x, out var fresh);
                B(dy).UnaryBackward(op, x, y, dy, dx, alpha, accumulate: !fresh);
            },
            x);
}
