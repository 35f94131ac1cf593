using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    [ThreadStatic]
    private static float[]? _attentionScratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void HeadsAttention(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor output)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var args = HeadsArgs(P(q), P(k), P(v), P(output), keyMask is null ? null : P(keyMask), q.Shape[1], k.Shape[1], heads, q.Shape[2], causal);
            RowParallel.Run(ref args, &AttendHeads, q.Shape[0] * heads, 4L * args.Nq * args.Nk * args.HeadDim);
        }
        finally
        {
            GC.KeepAlive(q);
            GC.KeepAlive(k);
            GC.KeepAlive(v);
            GC.KeepAlive(keyMask);
            GC.KeepAlive(output);
        }
    }

    /// <summary>
    /// The operands of the inference attention kernels on [B, N, H·dk] layouts (<paramref name="width"/> = H·dk), with
    /// the one scale 1/√dk every path uses (the fused layer's results equal the op's only if it is the same float).
    /// </summary>
    private static RowArgs HeadsArgs(float* q, float* k, float* v, float* output, float* keyMask, int nq, int nk, int heads, int width, bool causal) => new()
    {
        X = q,
        K = k,
        V = v,
        Y = output,
        Mask = keyMask,
        Nq = nq,
        Nk = nk,
        Heads = heads,
        HeadDim = width / heads,
        Cols = width,
        Causal = causal,
        Scale = 1f / MathF.Sqrt(width / heads),
    };

    /// <summary>(batch, head) pairs [r0, r1): the GEMM-tiled kernel for dk = 16 on AVX2/FMA, the per-row one otherwise.</summary>
    private static void AttendHeads(ref RowArgs a, int r0, int r1)
    {
        if (a.HeadDim == Gemm.NR && Gemm.IsFast)
        {
            AttentionTiles(ref a, r0, r1);
        }
        else
        {
            AttentionRows(ref a, r0, r1);
        }
    }

    /// <summary>
    /// Rows are (batch, head) pairs. Per pair: Kᵀ into scratch; per query, scores s = q·Kᵀ/√dk over the keys
    /// (vectorised across keys), masked entries −∞, softmax, then o = Σ_j p_j v_j, all without leaving L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttentionRows(ref RowArgs a, int r0, int r1)
    {
        int nq = a.Nq, nk = a.Nk, dh = a.HeadDim, dm = a.Cols, h = a.Heads;
        var causal = a.Causal;
        var nkp = (nk + 7) & ~7;
        var need = (dh * nkp) + (2 * nkp) + 8;
        var scratch = Scratch(ref _attentionScratch, need);

        fixed (float* kt = scratch)
        {
            var s = kt + (dh * nkp);
            var bias = s + nkp;
            var negInf = Vector256.Create(float.NegativeInfinity);
            var iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (var r = r0; r < r1; r++)
            {
                var bi = r / h;
                var hi = r % h;
                var kBase = a.K + ((long)bi * nk * dm) + (hi * dh);
                var vBase = a.V + ((long)bi * nk * dm) + (hi * dh);
                var maskRow = a.Mask == null ? null : a.Mask + ((long)bi * nk);
                for (var j = 0; j < nkp; j++)
                {
                    bias[j] = j < nk && (maskRow == null || maskRow[j] != 0f) ? 0f : float.NegativeInfinity;
                }

                for (var p = 0; p < dh; p++)
                {
                    var row = kt + (p * nkp);
                    for (var j = 0; j < nk; j++)
                    {
                        row[j] = kBase[((long)j * dm) + p];
                    }

                    for (var j = nk; j < nkp; j++)
                    {
                        row[j] = 0f;
                    }
                }

                for (var i = 0; i < nq; i++)
                {
                    var qi = a.X + ((((long)bi * nq) + i) * dm) + (hi * dh);
                    var oi = a.Y + ((((long)bi * nq) + i) * dm) + (hi * dh);
                    var limit = Vector256.Create(a.Causal ? i + (nk - nq) : nk - 1);
                    var vmax = negInf;
                    var scale = Vector256.Create(a.Scale);
                    var j0 = 0;
                    for (; j0 + 32 <= nkp; j0 += 32)
                    {
                        // four independent accumulators hide the FMA latency
                        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
                        var col = kt + j0;
                        for (var p = 0; p < dh; p++)
                        {
                            var qp = Vector256.Create(qi[p]);
                            var rowp = col + (p * nkp);
                            c0 += qp * Vector256.Load(rowp);
                            c1 += qp * Vector256.Load(rowp + 8);
                            c2 += qp * Vector256.Load(rowp + 16);
                            c3 += qp * Vector256.Load(rowp + 24);
                        }

                        vmax = Vector256.Max(vmax, Finish(c0, j0));
                        vmax = Vector256.Max(vmax, Finish(c1, j0 + 8));
                        vmax = Vector256.Max(vmax, Finish(c2, j0 + 16));
                        vmax = Vector256.Max(vmax, Finish(c3, j0 + 24));
                    }

                    for (; j0 < nkp; j0 += 8)
                    {
                        var acc = Vector256<float>.Zero;
                        var col = kt + j0;
                        for (var p = 0; p < dh; p++)
                        {
                            acc += Vector256.Create(qi[p]) * Vector256.Load(col + (p * nkp));
                        }

                        vmax = Vector256.Max(vmax, Finish(acc, j0));
                    }

                    Vector256<float> Finish(Vector256<float> acc, int j)
                    {
                        var v = (acc * scale) + Vector256.Load(bias + j);
                        if (causal)
                        {
                            v = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Create(j) + iota, limit).AsSingle(), negInf, v);
                        }

                        v.Store(s + j);
                        return v;
                    }

                    var max = Max8(vmax);
                    if (float.IsNegativeInfinity(max))
                    {
                        new Span<float>(oi, dh).Clear();
                        continue;
                    }

                    var vm = Vector256.Create(max);
                    var vsum = Vector256<float>.Zero;
                    for (var j = 0; j < nkp; j += 8)
                    {
                        var e = VectorMath.Exp(Vector256.Load(s + j) - vm);
                        e.Store(s + j);
                        vsum += e;
                    }

                    var inv = 1f / Vector256.Sum(vsum);
                    if (dh == 16)
                    {
                        Vector256<float> o0 = default, o1 = default, o2 = default, o3 = default;
                        var vj = vBase;
                        var j = 0;
                        for (; j + 1 < nk; j += 2, vj += 2 * dm)
                        {
                            var pa = Vector256.Create(s[j]);
                            var pb = Vector256.Create(s[j + 1]);
                            o0 += pa * Vector256.Load(vj);
                            o1 += pa * Vector256.Load(vj + 8);
                            o2 += pb * Vector256.Load(vj + dm);
                            o3 += pb * Vector256.Load(vj + dm + 8);
                        }

                        if (j < nk)
                        {
                            var pa = Vector256.Create(s[j]);
                            o0 += pa * Vector256.Load(vj);
                            o1 += pa * Vector256.Load(vj + 8);
                        }

                        var vi = Vector256.Create(inv);
                        ((o0 + o2) * vi).Store(oi);
                        ((o1 + o3) * vi).Store(oi + 8);
                        continue;
                    }

                    new Span<float>(oi, dh).Clear();
                    for (var j = 0; j < nk; j++)
                    {
                        Axpy(s[j], vBase + ((long)j * dm), oi, dh);
                    }

                    for (var p = 0; p < dh; p++)
                    {
                        oi[p] *= inv;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The dk = 16 path on the GEMM microkernel: per (batch, head), Kᵀ is packed into 16-key panels, S = Q·Kᵀ runs
    /// on 6×16 tiles reading Q rows in place, each row of S gets its mask and a softmax (normalised in place), and
    /// O = P·V runs on 6×16 tiles reading V rows in place and writing straight into the head's output columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttentionTiles(ref RowArgs a, int r0, int r1)
    {
        int nq = a.Nq, nk = a.Nk, dh = a.HeadDim, dm = a.Cols, h = a.Heads;
        var causal = a.Causal;
        var nkp = (nk + 15) & ~15;
        var need = (dh * nkp) + (nq * nkp) + nkp + 8;
        var scratch = Scratch(ref _attentionScratch, need);

        fixed (float* kt = scratch)
        {
            var sm = kt + (dh * nkp);
            var bias = sm + (nq * nkp);
            var negInf = Vector256.Create(float.NegativeInfinity);
            var iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (var r = r0; r < r1; r++)
            {
                var bi = r / h;
                var hi = r % h;
                var qBase = a.X + ((long)bi * nq * dm) + (hi * dh);
                var kBase = a.K + ((long)bi * nk * dm) + (hi * dh);
                var vBase = a.V + ((long)bi * nk * dm) + (hi * dh);
                var oBase = a.Y + ((long)bi * nq * dm) + (hi * dh);
                var maskRow = a.Mask == null ? null : a.Mask + ((long)bi * nk);
                for (var j = 0; j < nkp; j++)
                {
                    bias[j] = j < nk && (maskRow == null || maskRow[j] != 0f) ? 0f : float.NegativeInfinity;
                }

                PackKeyPanels(kBase, nk, nkp, dh, dm, kt);

                for (var ir = 0; ir < nq; ir += Gemm.MR)
                {
                    var mr = Math.Min(Gemm.MR, nq - ir);
                    for (var jr = 0; jr < nkp; jr += 16)
                    {
                        Gemm.KernelRows6x16(dh, qBase + ((long)ir * dm), dm, kt + (jr * dh), 16, sm + (ir * nkp) + jr, nkp, a.Scale, mr, 16, overwrite: true);
                    }
                }

                for (var i = 0; i < nq; i++)
                {
                    var row = sm + (i * nkp);
                    var limit = Vector256.Create(causal ? i + (nk - nq) : nk - 1);
                    var vmax = negInf;
                    for (var j = 0; j < nkp; j += 8)
                    {
                        var v = Vector256.Load(row + j) + Vector256.Load(bias + j);
                        if (causal)
                        {
                            v = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Create(j) + iota, limit).AsSingle(), negInf, v);
                        }

                        v.Store(row + j);
                        vmax = Vector256.Max(vmax, v);
                    }

                    var max = Max8(vmax);
                    if (float.IsNegativeInfinity(max))
                    {
                        new Span<float>(row, nkp).Clear();
                        continue;
                    }

                    var vm = Vector256.Create(max);
                    var vsum = Vector256<float>.Zero;
                    for (var j = 0; j < nkp; j += 8)
                    {
                        var e = VectorMath.Exp(Vector256.Load(row + j) - vm);
                        e.Store(row + j);
                        vsum += e;
                    }

                    var inv = Vector256.Create(1f / Vector256.Sum(vsum));
                    for (var j = 0; j < nkp; j += 8)
                    {
                        (Vector256.Load(row + j) * inv).Store(row + j);
                    }
                }

                for (var ir = 0; ir < nq; ir += Gemm.MR)
                {
                    var mr = Math.Min(Gemm.MR, nq - ir);
                    Gemm.KernelRows6x16(nk, sm + (ir * nkp), nkp, vBase, dm, oBase + ((long)ir * dm), dm, 1f, mr, 16, overwrite: true);
                }
            }
        }
    }

    /// <summary>
    /// Packs Kᵀ of one head (rows <paramref name="dm"/> apart) into 16-key panels, p-major, keys past
    /// <paramref name="nk"/> up to <paramref name="nkp"/> zero: kt[jr·dh + p·16 + jj] = K[jr + jj, p].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackKeyPanels(float* kBase, int nk, int nkp, int dh, int dm, float* kt)
    {
        for (var jr = 0; jr < nkp; jr += 16)
        {
            var panel = kt + (jr * dh);
            for (var jj = 0; jj < 16; jj++)
            {
                var key = jr + jj;
                if (key < nk)
                {
                    var kr = kBase + ((long)key * dm);
                    for (var p = 0; p < dh; p++)
                    {
                        panel[(p * 16) + jj] = kr[p];
                    }
                }
                else
                {
                    for (var p = 0; p < dh; p++)
                    {
                        panel[(p * 16) + jj] = 0f;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy(float alpha, float* x, float* y, int n)
    {
        var va = Vector256.Create(alpha);
        var i = 0;
        for (; i <= n - 8; i += 8)
        {
            (Vector256.Load(y + i) + (va * Vector256.Load(x + i))).Store(y + i);
        }

        for (; i < n; i++)
        {
            y[i] += alpha * x[i];
        }
    }
}
