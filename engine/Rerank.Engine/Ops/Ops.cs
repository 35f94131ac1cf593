using Rerank.Engine.Backends;

namespace Rerank.Engine;

/// <summary>
/// Differentiable tensor operations. Each computes its forward through the device backend and, when gradients
/// are recorded and an input requires them, records its backward beside it on the tape.
/// </summary>
public static partial class Ops
{
    private static IBackend B(Tensor t) => Backend.Of(t);

    private static Tensor Out(TensorShape shape, Tensor like) => Tensor.Empty(shape, like.Device);

    private static Tensor Grad(Tensor t) => Tensor.GradOf(t);

    private static void SameDevice(Tensor a, Tensor b, string op)
    {
        if (a.Device != b.Device)
        {
            throw new ArgumentException($"{op}: operands live on different devices ({a.Device} and {b.Device}).");
        }
    }

    /// <summary>The NumPy broadcast of two shapes.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static TensorShape BroadcastShape(TensorShape a, TensorShape b, string op = "broadcast")
    {
        var rank = Math.Max(a.Rank, b.Rank);
        Span<int> dims = stackalloc int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : 1;
            var db = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"{op}: shapes {a} and {b} do not broadcast (dimension {i}: {da} vs {db}).");
            }

            dims[i] = da == 1 ? db : da;
        }

        return new TensorShape(dims);
    }

    /// <summary>Resolves a negative axis and checks it.</summary>
    private static int Axis(Tensor x, int axis, string op)
    {
        var a = axis < 0 ? axis + x.Rank : axis;
        if ((uint)a >= (uint)x.Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for shape {x.Shape}.");
        }

        return a;
    }

    /// <summary>Views x as [outer, n, inner] around <paramref name="axis"/>.</summary>
    private static (int Outer, int N, int Inner) Around(TensorShape s, int axis)
    {
        int outer = 1, inner = 1;
        for (var i = 0; i < axis; i++)
        {
            outer *= s[i];
        }

        for (var i = axis + 1; i < s.Rank; i++)
        {
            inner *= s[i];
        }

        return (outer, s[axis], inner);
    }
}
