using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Softmax(Tensor x, Tensor? mask, bool causal, bool log, Tensor y)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var c = x.Shape.Last;
            var args = new RowArgs
            {
                X = P(x),
                Y = P(y),
                Mask = mask is null ? null : P(mask),
                Cols = c,
                Nq = x.Rank >= 2 ? x.Shape[-2] : 1,
                Causal = causal,
                Log = log,
                Shape = x.Shape,
                MaskShape = mask?.Shape ?? default,
            };
            RowParallel.Run(ref args, &SoftmaxRows, x.Count / Math.Max(1, c), 8L * c);
        }
        finally
        {
            GC.KeepAlive(x);
            GC.KeepAlive(mask);
            GC.KeepAlive(y);
        }
    }

    /// <summary>Rows [r0, r1): drop masked/causal entries (−∞), subtract the max, exponentiate, normalise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRows(ref RowArgs a, int r0, int r1)
    {
        var c = a.Cols;
        var rank = a.Shape.Rank;
        Span<int> ms = stackalloc int[TensorShape.MaxRank];
        if (a.Mask != null)
        {
            BroadcastStrides(a.MaskShape, a.Shape, ms);
        }

        var mLast = a.Mask == null ? 0 : ms[rank - 1];
        for (var r = r0; r < r1; r++)
        {
            float* mr = null;
            if (a.Mask != null)
            {
                var off = 0;
                var rem = r;
                for (var d = rank - 2; d >= 0; d--)
                {
                    var size = a.Shape[d];
                    off += rem % size * ms[d];
                    rem /= size;
                }

                mr = a.Mask + off;
            }

            SoftmaxRow(a.X + ((long)r * c), a.Y + ((long)r * c), c, mr, mLast, a.Causal ? (r % a.Nq) + (c - a.Nq) : c - 1, a.Log);
        }
    }

    /// <summary>
    /// One row of <paramref name="c"/> values from <paramref name="xr"/> into <paramref name="yr"/> (may be the same):
    /// entries whose mask value (<paramref name="mr"/>[j·<paramref name="mStride"/>], none when null) is 0 or whose index
    /// passes <paramref name="limit"/> become −∞; subtract the max, exponentiate, normalise (or the log form).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRow(float* xr, float* yr, int c, float* mr, int mStride, int limit, bool log)
    {
        var negInf = Vector256.Create(float.NegativeInfinity);

        // pass 1: masked copy and max
        var max = float.NegativeInfinity;
        var vmax = negInf;
        var j = 0;
        if (mStride == 1 || mr == null)
        {
            for (; j <= c - 8; j += 8)
            {
                var v = Vector256.Load(xr + j);
                if (mr != null)
                {
                    v = Vector256.ConditionalSelect(Vector256.Equals(Vector256.Load(mr + j), Vector256<float>.Zero), negInf, v);
                }

                if (j + 7 > limit)
                {
                    var idx = Vector256.Create(j) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                    v = Vector256.ConditionalSelect(Vector256.GreaterThan(idx, Vector256.Create(limit)).AsSingle(), negInf, v);
                }

                v.Store(yr + j);
                vmax = Vector256.Max(vmax, v);
            }

            max = Max8(vmax);
        }

        for (; j < c; j++)
        {
            var keep = j <= limit && (mr == null || mr[j * mStride] != 0f);
            var v = keep ? xr[j] : float.NegativeInfinity;
            yr[j] = v;
            max = Math.Max(max, v);
        }

        if (float.IsNegativeInfinity(max))
        {
            new Span<float>(yr, c).Fill(log ? float.NegativeInfinity : 0f);
            return;
        }

        // pass 2: e^(x − max) and its sum
        var vm = Vector256.Create(max);
        var vsum = Vector256<float>.Zero;
        var sum = 0f;
        j = 0;
        for (; j <= c - 8; j += 8)
        {
            var shifted = Vector256.Load(yr + j) - vm;
            var e = VectorMath.Exp(shifted);
            vsum += e;
            (log ? shifted : e).Store(yr + j);
        }

        sum = Vector256.Sum(vsum);
        for (; j < c; j++)
        {
            var shifted = yr[j] - max;
            var e = VectorMath.Exp(shifted);
            sum += e;
            yr[j] = log ? shifted : e;
        }

        // pass 3: normalise
        if (log)
        {
            var ls = MathF.Log(sum);
            for (j = 0; j < c; j++)
            {
                yr[j] -= ls;
            }
        }
        else
        {
            var inv = 1f / sum;
            var vinv = Vector256.Create(inv);
            j = 0;
            for (; j <= c - 8; j += 8)
            {
                (Vector256.Load(yr + j) * vinv).Store(yr + j);
            }

            for (; j < c; j++)
            {
                yr[j] *= inv;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Max8(Vector256<float> v)
    {
        var m = float.NegativeInfinity;
        for (var i = 0; i < 8; i++)
        {
            m = Math.Max(m, v[i]);
        }

        return m;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SoftmaxBackward(Tensor y, Tensor dy, bool log, Tensor dx)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var c = y.Shape.Last;
            var args = new RowArgs { Y = P(y), Z = P(dy), Beta = P(dx), Cols = c, Log = log };
            RowParallel.Run(ref args, &SoftmaxBackwardRows, y.Count / Math.Max(1, c), 6L * c);
        }
        finally
        {
            GC.KeepAlive(y);
            GC.KeepAlive(dy);
            GC.KeepAlive(dx);
        }
    }

    /// <summary>
    /// Rows [r0, r1) of dx += ∂: softmax dx = y ⊙ (dy − ⟨dy, y⟩); log-softmax dx = dy − e^y · Σ dy over kept
    /// entries (y = −∞ marks a dropped one, which gets nothing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxBackwardRows(ref RowArgs a, int r0, int r1)
    {
        var c = a.Cols;
        for (var r = r0; r < r1; r++)
        {
            var yr = a.Y + ((long)r * c);
            var gr = a.Z + ((long)r * c);
            var dr = a.Beta + ((long)r * c);
            if (!a.Log)
            {
                var vdot = Vector256<float>.Zero;
                var j = 0;
                for (; j <= c - 8; j += 8)
                {
                    vdot += Vector256.Load(gr + j) * Vector256.Load(yr + j);
                }

                var dot = Vector256.Sum(vdot);
                for (; j < c; j++)
                {
                    dot += gr[j] * yr[j];
                }

                var vd = Vector256.Create(dot);
                j = 0;
                for (; j <= c - 8; j += 8)
                {
                    (Vector256.Load(dr + j) + (Vector256.Load(yr + j) * (Vector256.Load(gr + j) - vd))).Store(dr + j);
                }

                for (; j < c; j++)
                {
                    dr[j] += yr[j] * (gr[j] - dot);
                }

                continue;
            }

            var sum = 0f;
            for (var j = 0; j < c; j++)
            {
                sum += float.IsNegativeInfinity(yr[j]) ? 0f : gr[j];
            }

            for (var j = 0; j < c; j++)
            {
                if (!float.IsNegativeInfinity(yr[j]))
                {
                    dr[j] += gr[j] - (MathF.Exp(yr[j]) * sum);
                }
            }
        }
    }
}
