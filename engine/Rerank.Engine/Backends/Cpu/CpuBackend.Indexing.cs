using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void GatherRows(Tensor src, int rowsPerBatch, bool srcBatched, ReadOnlySpan<int> index, int perBatch, Tensor dst)
    {
        var ss = S(src);
        var sd = S(dst);
        var d = dst.Shape.Last;
        for (var i = 0; i < index.Length; i++)
        {
            var row = index[i];
            var target = sd.Slice(i * d, d);
            if (row < 0)
            {
                target.Clear();
                continue;
            }

            var batch = srcBatched ? i / perBatch : 0;
            ss.Slice(((batch * rowsPerBatch) + row) * d, d).CopyTo(target);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ScatterAddRows(Tensor dy, int rowsPerBatch, bool srcBatched, ReadOnlySpan<int> index, int perBatch, Tensor dsrc)
    {
        var sg = S(dy);
        var sd = S(dsrc);
        var d = dy.Shape.Last;
        for (var i = 0; i < index.Length; i++)
        {
            var row = index[i];
            if (row < 0)
            {
                continue;
            }

            var batch = srcBatched ? i / perBatch : 0;
            var target = sd.Slice(((batch * rowsPerBatch) + row) * d, d);
            TensorPrimitives.Add(target, sg.Slice(i * d, d), target);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyBlocks(Tensor src, int srcOffset, int srcStride, Tensor dst, int dstOffset, int dstStride, int block, int count, bool accumulate)
    {
        var ss = S(src);
        var sd = S(dst);
        for (var i = 0; i < count; i++)
        {
            var from = ss.Slice(srcOffset + (i * srcStride), block);
            var to = sd.Slice(dstOffset + (i * dstStride), block);
            if (accumulate)
            {
                TensorPrimitives.Add(to, from, to);
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Permute(Tensor src, ReadOnlySpan<int> perm, Tensor dst, bool accumulate)
    {
        var ss = S(src);
        var sd = S(dst);
        var rank = dst.Rank;
        Span<int> srcStrides = stackalloc int[TensorShape.MaxRank];
        Span<int> strides = stackalloc int[TensorShape.MaxRank];
        for (var d = 0; d < rank; d++)
        {
            srcStrides[d] = src.Shape.Stride(d);
        }

        for (var d = 0; d < rank; d++)
        {
            strides[d] = srcStrides[perm[d]];
        }

        var last = dst.Shape.Last;
        var lastStride = rank == 0 ? 1 : strides[rank - 1];
        var rows = dst.Count / Math.Max(1, last);
        Span<int> idx = stackalloc int[TensorShape.MaxRank];
        idx.Clear();
        for (var r = 0; r < rows; r++)
        {
            var off = 0;
            for (var d = 0; d < rank - 1; d++)
            {
                off += idx[d] * strides[d];
            }

            var to = sd.Slice(r * last, last);
            if (lastStride == 1)
            {
                var from = ss.Slice(off, last);
                if (accumulate)
                {
                    TensorPrimitives.Add(to, from, to);
                }
                else
                {
                    from.CopyTo(to);
                }
            }
            else if (accumulate)
            {
                for (var j = 0; j < last; j++)
                {
                    to[j] += ss[off + (j * lastStride)];
                }
            }
            else
            {
                for (var j = 0; j < last; j++)
                {
                    to[j] = ss[off + (j * lastStride)];
                }
            }

            Increment(idx, dst.Shape, rank - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ReduceAxis(Tensor src, int outer, int n, int inner, float scale, Tensor dst, bool accumulate)
    {
        var ss = S(src);
        var sd = S(dst);
        if (!accumulate)
        {
            sd.Clear();
        }

        for (var o = 0; o < outer; o++)
        {
            var to = sd.Slice(o * inner, inner);
            if (inner == 1)
            {
                to[0] += scale * TensorPrimitives.Sum(ss.Slice(o * n, n));
                continue;
            }

            fixed (float* ps = ss, pd = to)
            {
                SumRows(ps + ((long)o * n * inner), n, inner, scale, pd);
            }
        }
    }

    /// <summary>
    /// dst += Σ_k scale·src[k, ·] over <paramref name="n"/> rows of <paramref name="inner"/> values, row after row with
    /// (scale·x) rounded before each add (as TensorPrimitives.MultiplyAdd, which it replaces without its per-row call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumRows(float* src, int n, int inner, float scale, float* dst)
    {
        var vs = Vector256.Create(scale);
        for (var k = 0; k < n; k++)
        {
            var row = src + ((long)k * inner);
            var j = 0;
            for (; j <= inner - 8; j += 8)
            {
                ((Vector256.Load(row + j) * vs) + Vector256.Load(dst + j)).Store(dst + j);
            }

            for (; j < inner; j++)
            {
                dst[j] = (row[j] * scale) + dst[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ExpandAxis(Tensor src, int outer, int n, int inner, float scale, Tensor dst, bool accumulate)
    {
        var ss = S(src);
        var sd = S(dst);
        for (var o = 0; o < outer; o++)
        {
            var from = ss.Slice(o * inner, inner);
            for (var k = 0; k < n; k++)
            {
                var to = sd.Slice(((o * n) + k) * inner, inner);
                if (accumulate)
                {
                    TensorPrimitives.MultiplyAdd(from, scale, to, to);
                }
                else if (scale == 1f)
                {
                    from.CopyTo(to);
                }
                else
                {
                    TensorPrimitives.Multiply(from, scale, to);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DropoutMask(Tensor mask, float keep, Rng rng)
    {
        var s = S(mask);
        var scale = 1f / keep;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = rng.NextFloat() < keep ? scale : 0f;
        }
    }
}
