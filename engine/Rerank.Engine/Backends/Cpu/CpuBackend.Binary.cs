using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        var sa = S(a);
        var sb = S(b);
        var sy = S(y);
        if (a.Count == y.Count && b.Count == y.Count)
        {
            Apply(op, sa, sb, sy);
            return;
        }

        var rank = y.Rank;
        var last = y.Shape.Last;
        Span<int> strideA = stackalloc int[TensorShape.MaxRank];
        Span<int> strideB = stackalloc int[TensorShape.MaxRank];
        BroadcastStrides(a.Shape, y.Shape, strideA);
        BroadcastStrides(b.Shape, y.Shape, strideB);
        var rows = y.Count / Math.Max(1, last);
        Span<int> idx = stackalloc int[TensorShape.MaxRank];
        idx.Clear();
        var lastA = rank == 0 ? 1 : strideA[rank - 1];
        var lastB = rank == 0 ? 1 : strideB[rank - 1];
        for (var r = 0; r < rows; r++)
        {
            int offA = 0, offB = 0;
            for (var d = 0; d < rank - 1; d++)
            {
                offA += idx[d] * strideA[d];
                offB += idx[d] * strideB[d];
            }

            var dst = sy.Slice(r * last, last);
            if (last == 1)
            {
                ApplyScalarRight(op, sa.Slice(offA, 1), sb[offB], dst);
            }
            else if (lastA == 1 && lastB == 1)
            {
                Apply(op, sa.Slice(offA, last), sb.Slice(offB, last), dst);
            }
            else if (lastA == 1)
            {
                ApplyScalarRight(op, sa.Slice(offA, last), sb[offB], dst);
            }
            else if (lastB == 1)
            {
                ApplyScalarLeft(op, sa[offA], sb.Slice(offB, last), dst);
            }
            else
            {
                ApplyScalarRight(op, sa.Slice(offA, 1), sb[offB], dst[..1]);
                dst.Fill(dst[0]);
            }

            Increment(idx, y.Shape, rank - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ReduceToShape(Tensor src, Tensor dst, bool accumulate)
    {
        var ss = S(src);
        var sd = S(dst);
        if (src.Count == dst.Count)
        {
            // dst (+)= src over chunks on every thread; without accumulating, 0 + src: what adding onto zeros stores (−0 → +0)
            try
            {
                var args = new RowArgs { Z = P(src), Beta = P(dst), Cols = 4096, Count = dst.Count, Overwrite = accumulate ? 0 : 1 };
                RowParallel.Run(ref args, &AddChunks, (dst.Count + 4095) / 4096, 4096L);
            }
            finally
            {
                GC.KeepAlive(src);
                GC.KeepAlive(dst);
            }

            return;
        }

        if (!accumulate)
        {
            sd.Clear();
        }

        var rank = src.Rank;
        var last = src.Shape.Last;
        Span<int> strideD = stackalloc int[TensorShape.MaxRank];
        BroadcastStrides(dst.Shape, src.Shape, strideD);
        var lastD = rank == 0 ? 1 : strideD[rank - 1];
        var rows = src.Count / Math.Max(1, last);
        Span<int> idx = stackalloc int[TensorShape.MaxRank];
        idx.Clear();
        for (var r = 0; r < rows; r++)
        {
            var off = 0;
            for (var d = 0; d < rank - 1; d++)
            {
                off += idx[d] * strideD[d];
            }

            var row = ss.Slice(r * last, last);
            if (lastD == 1 && last > 1)
            {
                var target = sd.Slice(off, last);
                TensorPrimitives.Add(target, row, target);
            }
            else
            {
                sd[off] += TensorPrimitives.Sum(row);
            }

            Increment(idx, src.Shape, rank - 1);
        }
    }

    /// <summary>Beta[i] = Beta[i] + Z[i], or 0 + Z[i] where <see cref="RowArgs.Overwrite"/> is set, over chunks of <see cref="RowArgs.Cols"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddChunks(ref RowArgs a, int r0, int r1)
    {
        var i = r0 * a.Cols;
        var end = Math.Min(r1 * a.Cols, a.Count);
        var overwrite = a.Overwrite != 0;
        for (; i <= end - 8; i += 8)
        {
            var onto = overwrite ? Vector256<float>.Zero : Vector256.Load(a.Beta + i);
            (onto + Vector256.Load(a.Z + i)).Store(a.Beta + i);
        }

        for (; i < end; i++)
        {
            a.Beta[i] = (overwrite ? 0f : a.Beta[i]) + a.Z[i];
        }
    }

    /// <summary>Right-aligned strides of <paramref name="small"/> inside <paramref name="big"/>; 0 where broadcast.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BroadcastStrides(TensorShape small, TensorShape big, Span<int> strides)
    {
        var offset = big.Rank - small.Rank;
        var s = 1;
        for (var d = big.Rank - 1; d >= 0; d--)
        {
            var sd = d - offset;
            if (sd < 0 || small[sd] == 1)
            {
                strides[d] = 0;
            }
            else
            {
                strides[d] = s;
            }

            if (sd >= 0)
            {
                s *= small[sd];
            }
        }
    }

    /// <summary>Advances a row-major multi-index over the first <paramref name="dims"/> dims.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Increment(Span<int> idx, TensorShape shape, int dims)
    {
        for (var d = dims - 1; d >= 0; d--)
        {
            if (++idx[d] < shape[d])
            {
                return;
            }

            idx[d] = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyScalarRight(BinaryOp op, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyScalarLeft(BinaryOp op, float a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(b, a, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(b, a, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }
}
