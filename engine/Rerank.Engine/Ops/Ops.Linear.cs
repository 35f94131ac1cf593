namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>
    /// y = x·Wᵀ + b for x [..., in], W [out, in], b [out] (optional): one GEMM over all rows, the bias added as it writes
    /// each tile (where the backend fuses kernels) or pre-filled into the output — the same values either way.
    /// </summary>
    /// <exception cref="ArgumentException">Widths disagree.</exception>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        var inF = weight.Shape[-1];
        var outF = weight.Shape[0];
        if (weight.Rank != 2 || x.Shape.Last != inF || (bias is not null && bias.Count != outF))
        {
            throw new ArgumentException($"Linear: input {x.Shape}, weight {weight.Shape}, bias {bias?.Shape.ToString() ?? "none"} disagree (need [..., {inF}], [out, in], [out]).");
        }

        var rows = x.Count / Math.Max(1, inF);
        var y = Out(x.Rank == 0 ? new TensorShape(outF) : x.Shape.With(-1, outF), x);
        var needs = Autograd.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!needs)
        {
            B(x).LinearActivated(x, weight, bias, null, y);
            return y;
        }

        var be = B(x);
        if (be.FusesKernels())
        {
            be.LinearActivated(x, weight, bias, null, y); // the bias added as the GEMM writes y: one pass instead of two
        }
        else
        {
            var y2 = y.View(new TensorShape(rows, outF));
            if (bias is not null)
            {
                be.ExpandAxis(bias, 1, rows, outF, 1f, y2, accumulate: false);
            }

            be.MatMul(x.View(new TensorShape(rows, inF)), weight, y2, false, true, 1f, bias is null ? 0f : 1f);
        }

        RecordLinear(x, weight, bias, y, rows);
        return y;
    }

    /// <summary>
    /// act(x·Wᵀ + b) with act ReLU or GELU. Without gradients the activation runs inside the GEMM as each output
    /// tile is written (one pass over the output); with gradients it is Linear followed by the activation op.
    /// </summary>
    internal static Tensor LinearActivated(Tensor x, Tensor weight, Tensor? bias, Backends.UnaryOp activation)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        var needs = Autograd.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (needs || weight.Rank != 2 || x.Shape.Last != weight.Shape[1] || (bias is not null && bias.Count != weight.Shape[0]))
        {
            return UnaryOp(activation, Linear(x, weight, bias), 1f, 0f);
        }

        var y = Out(x.Rank == 0 ? new TensorShape(weight.Shape[0]) : x.Shape.With(-1, weight.Shape[0]), x);
        B(x).LinearActivated(x, weight, bias, activation, y);
        return y;
    }

    private static void RecordLinear(Tensor x, Tensor weight, Tensor? bias, Tensor y, int rows)
    {
        var inputs = bias is null ? new[] { x, weight } : [x, weight, bias];
        Tensor.Record(
            y,
            "Linear",
            dy =>
            {
                var be = B(dy);
                var inF = weight.Shape[-1];
                var outF = weight.Shape[0];
                var dy2 = dy.View(new TensorShape(rows, outF));
                if (x.RequiresGrad)
                {
                    var gx = Tensor.GradForProduct(x, out var fresh);
                    be.MatMul(dy2, weight, gx.View(new TensorShape(rows, inF)), false, false, 1f, fresh ? 0f : 1f);
                }

                if (weight.RequiresGrad)
                {
                    be.MatMul(dy2, x.View(new TensorShape(rows, inF)), Grad(weight), true, false, 1f, 1f);
                }

                if (bias is { RequiresGrad: true })
                {
                    be.ReduceAxis(dy2, 1, rows, outF, 1f, Grad(bias), accumulate: true);
                }
            },
            inputs);
    }
}
