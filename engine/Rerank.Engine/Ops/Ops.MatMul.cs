namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>
    /// Batched matrix product alpha·op(a)·op(b) over the last two dims. Leading (batch) dims must match, or one side has
    /// none (or a single batch) and is shared. A rank-2 right operand with an untransposed left one runs as one GEMM.
    /// </summary>
    /// <exception cref="ArgumentException">Inner dimensions or batch dims disagree.</exception>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false, float alpha = 1f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        SameDevice(a, b, "MatMul");
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ArgumentException($"MatMul needs operands of rank ≥ 2, got {a.Shape} and {b.Shape}.");
        }

        var m = transA ? a.Shape[-1] : a.Shape[-2];
        var k = transA ? a.Shape[-2] : a.Shape[-1];
        var kb = transB ? b.Shape[-1] : b.Shape[-2];
        var n = transB ? b.Shape[-2] : b.Shape[-1];
        if (k != kb)
        {
            throw new ArgumentException($"MatMul: inner dimensions differ: {a.Shape}{(transA ? "ᵀ" : string.Empty)} · {b.Shape}{(transB ? "ᵀ" : string.Empty)} ({k} vs {kb}).");
        }

        var batchA = a.Count / Math.Max(1, a.Shape[-1] * a.Shape[-2]);
        var batchB = b.Count / Math.Max(1, b.Shape[-1] * b.Shape[-2]);
        if (batchA != batchB && batchA != 1 && batchB != 1)
        {
            throw new ArgumentException($"MatMul: batch dims of {a.Shape} and {b.Shape} differ.");
        }

        if (b.Rank == 2 && !transA && a.Rank > 2)
        {
            var flat = Reshape(a, new TensorShape(batchA * m, k));
            var y2 = MatMul(flat, b, false, transB, alpha);
            var outShape = a.Shape.With(-1, n);
            return Reshape(y2, outShape);
        }

        var big = batchA >= batchB ? a : b;
        var shape = big.Shape.With(-2, m).With(-1, n);
        var y = Out(shape, a);
        B(a).MatMul(a, b, y, transA, transB, alpha, 0f);
        if (Tensor.NeedsGrad(a, b))
        {
            RecordMatMul(a, b, y, transA, transB, alpha, batchA, batchB);
        }

        return y;
    }

    private static void MatMulBackward(Tensor a, Tensor b, Tensor dy, bool transA, bool transB, float alpha, int batchA, int batchB)
    {
        var be = B(dy);
        var batches = Math.Max(batchA, batchB);
        if (a.RequiresGrad)
        {
            // d op(A) = dY·op(B)ᵀ; stored Aᵀ gets op(B)·dYᵀ.
            var fresh = true;
            var target = batchA == batches ? Tensor.GradForProduct(a, out fresh) : Tensor.Empty(BatchShape(batches, a.Shape), a.Device);
            var beta = fresh ? 0f : 1f;
            if (transA)
            {
                be.MatMul(b, dy, target, transB, true, alpha, beta);
            }
            else
            {
                be.MatMul(dy, b, target, false, !transB, alpha, beta);
            }

            if (batchA != batches)
            {
                be.ReduceAxis(target, 1, batches, a.Count, 1f, Grad(a), accumulate: true);
            }
        }

        if (b.RequiresGrad)
        {
            // d op(B) = op(A)ᵀ·dY; stored Bᵀ gets dYᵀ·op(A).
            var fresh = true;
            var target = batchB == batches ? Tensor.GradForProduct(b, out fresh) : Tensor.Empty(BatchShape(batches, b.Shape), b.Device);
            var beta = fresh ? 0f : 1f;
            if (transB)
            {
                be.MatMul(dy, a, target, true, transA, alpha, beta);
            }
            else
            {
                be.MatMul(a, dy, target, !transA, false, alpha, beta);
            }

            if (batchB != batches)
            {
                be.ReduceAxis(target, 1, batches, b.Count, 1f, Grad(b), accumulate: true);
            }
        }
    }

    private static TensorShape BatchShape(int batches, TensorShape matrix) => new(batches, matrix[-2], matrix[-1]);

    private static void RecordMatMul(Tensor a, Tensor b, Tensor y, bool transA, bool transB, float alpha, int batchA, int batchB) =>
        Tensor.Record(y, "MatMul", dy => MatMulBackward(a, b, dy, transA, transB, alpha, batchA, batchB), a, b);
}
