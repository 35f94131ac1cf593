using Rerank.Engine.Backends;

namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>a + b with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => BinaryOp(Backends.BinaryOp.Add, a, b);

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => BinaryOp(Backends.BinaryOp.Sub, a, b);

    /// <summary>a ⊙ b with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => BinaryOp(Backends.BinaryOp.Mul, a, b);

    /// <summary>a ⊘ b with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => BinaryOp(Backends.BinaryOp.Div, a, b);

    /// <summary>alpha·x + beta, element-wise.</summary>
    public static Tensor Affine(Tensor x, float alpha, float beta) => UnaryOp(Backends.UnaryOp.Affine, x, alpha, beta);

    private static Tensor BinaryOp(BinaryOp op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var name = OpName(op);
        SameDevice(a, b, name);
        var y = Out(BroadcastShape(a.Shape, b.Shape, name), a);
        B(a).Binary(op, a, b, y);
        if (Tensor.NeedsGrad(a, b))
        {
            RecordBinary(op, a, b, y);
        }

        return y;
    }

    private static void BinaryBackward(BinaryOp op, Tensor a, Tensor b, Tensor y, Tensor dy)
    {
        var be = B(dy);
        switch (op)
        {
            case Backends.BinaryOp.Add or Backends.BinaryOp.Sub:
                if (a.RequiresGrad)
                {
                    var ga = Tensor.GradForProduct(a, out var fresh);
                    be.ReduceToShape(dy, ga, accumulate: !fresh);
                }

                if (b.RequiresGrad)
                {
                    var t = op == Backends.BinaryOp.Add ? dy : Negated(dy);
                    var gb = Tensor.GradForProduct(b, out var fresh);
                    be.ReduceToShape(t, gb, accumulate: !fresh);
                }

                break;
            case Backends.BinaryOp.Mul:
                if (a.RequiresGrad)
                {
                    var t = Out(dy.Shape, dy);
                    be.Binary(Backends.BinaryOp.Mul, dy, b, t);
                    var ga = Tensor.GradForProduct(a, out var fresh);
                    be.ReduceToShape(t, ga, accumulate: !fresh);
                }

                if (b.RequiresGrad)
                {
                    var t = Out(dy.Shape, dy);
                    be.Binary(Backends.BinaryOp.Mul, dy, a, t);
                    var gb = Tensor.GradForProduct(b, out var fresh);
                    be.ReduceToShape(t, gb, accumulate: !fresh);
                }

                break;
            default:
                if (a.RequiresGrad)
                {
                    var t = Out(dy.Shape, dy);
                    be.Binary(Backends.BinaryOp.Div, dy, b, t);
                    var ga = Tensor.GradForProduct(a, out var fresh);
                    be.ReduceToShape(t, ga, accumulate: !fresh);
                }

                if (b.RequiresGrad)
                {
                    // ∂(a/b)/∂b = −y/b
                    var t = Out(dy.Shape, dy);
                    be.Binary(Backends.BinaryOp.Mul, dy, y, t);
                    be.Binary(Backends.BinaryOp.Div, t, b, t);
                    be.Unary(Backends.UnaryOp.Affine, t, t, -1f, 0f);
                    var gb = Tensor.GradForProduct(b, out var fresh);
                    be.ReduceToShape(t, gb, accumulate: !fresh);
                }

                break;
        }
    }

    private static Tensor Negated(Tensor x)
    {
        var t = Out(x.Shape, x);
        B(x).Unary(Backends.UnaryOp.Affine, x, t, -1f, 0f);
        return t;
    }

    private static string OpName(BinaryOp op) => op switch
    {
        Backends.BinaryOp.Add => "Add",
        Backends.BinaryOp.Sub => "Sub",
        Backends.BinaryOp.Mul => "Mul",
        _ => "Div",
    };

    private static void RecordBinary(BinaryOp op, Tensor a, Tensor b, Tensor y) =>
        Tensor.Record(y, OpName(op), dy => BinaryBackward(op, a, b, y, dy), a, b);
}
