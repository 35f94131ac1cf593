namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>The sum of all elements, shape [].</summary>
    public static Tensor Sum(Tensor x) => ReduceAll(x, 1f, "Sum");

    /// <summary>The mean of all elements, shape [].</summary>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ReduceAll(x, 1f / Math.Max(1, x.Count), "Mean");
    }

    /// <summary>The sum over <paramref name="axis"/>.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => ReduceAxis(x, axis, keepDim, mean: false);

    /// <summary>The mean over <paramref name="axis"/>.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false) => ReduceAxis(x, axis, keepDim, mean: true);

    private static Tensor ReduceAll(Tensor x, float scale, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Out(default, x);
        B(x).ReduceAxis(x, 1, x.Count, 1, scale, y, accumulate: false);
        if (Tensor.NeedsGrad(x))
        {
            RecordExpand(op, x, y, 1, x.Count, 1, scale);
        }

        return y;
    }

    private static Tensor ReduceAxis(Tensor x, int axis, bool keepDim, bool mean)
    {
        ArgumentNullException.ThrowIfNull(x);
        var ax = Axis(x, axis, mean ? "Mean" : "Sum");
        var (outer, n, inner) = Around(x.Shape, ax);
        var scale = mean ? 1f / Math.Max(1, n) : 1f;
        TensorShape shape;
        if (keepDim)
        {
            shape = x.Shape.With(ax, 1);
        }
        else
        {
            Span<int> dims = stackalloc int[x.Rank - 1];
            for (int i = 0, j = 0; i < x.Rank; i++)
            {
                if (i != ax)
                {
                    dims[j++] = x.Shape[i];
                }
            }

            shape = new TensorShape(dims);
        }

        var y = Out(shape, x);
        B(x).ReduceAxis(x, outer, n, inner, scale, y, accumulate: false);
        if (Tensor.NeedsGrad(x))
        {
            RecordExpand(mean ? "MeanAxis" : "SumAxis", x, y, outer, n, inner, scale);
        }

        return y;
    }

    private static void RecordExpand(string op, Tensor x, Tensor y, int outer, int n, int inner, float scale) =>
        Tensor.Record(y, op, dy => B(dy).ExpandAxis(dy, outer, n, inner, scale, Grad(x), accumulate: true), x);
}
