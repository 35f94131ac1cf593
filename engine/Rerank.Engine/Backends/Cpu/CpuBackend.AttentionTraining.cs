using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>
/// Multi-head attention with gradients, per (batch, head), on the head-interleaved [B, N, H·dk] projections read and
/// written in place (no head permutes): the same GEMM calls (shape, transposes, α, β), the same softmax rows and the
/// same zero-initialised accumulations as the composed ops (permute → Q·Kᵀ → masked softmax → P·V → permute), so every
/// value — output, probabilities, the three gradients — is bit for bit theirs.
/// </summary>
internal sealed unsafe partial class CpuBackend
{
    [ThreadStatic]
    private static float[]? _attentionBackwardScratch;

    [ThreadStatic]
    private static float[]? _attentionForwardScratch;

    /// <inheritdoc/>
    public bool FusesKernels() => Gemm.IsFast;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryHeadsAttentionForward(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor probabilities, Tensor output)
    {
        if (!Gemm.IsFast)
        {
            return false;
        }

        try
        {
            var args = AttentionArgs(q, k, v, heads, keyMask, causal, probabilities);
            args.Y = P(output);
            var cost = 6L * args.Nq * args.Nk * args.HeadDim;
            if (Tiled(args))
            {
                RowParallel.Run(ref args, &AttentionForwardTiles, q.Shape[0] * heads, cost);
            }
            else
            {
                RowParallel.Run(ref args, &AttentionForwardPairs, q.Shape[0] * heads, cost);
            }
            return true;
        }
        finally
        {
            GC.KeepAlive(q);
            GC.KeepAlive(k);
            GC.KeepAlive(v);
            GC.KeepAlive(keyMask);
            GC.KeepAlive(probabilities);
            GC.KeepAlive(output);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void HeadsAttentionBackward(Tensor q, Tensor k, Tensor v, int heads, Tensor probabilities, Tensor dOutput, Tensor? dq, Tensor? dk, Tensor? dv, bool accumulateQ, bool accumulateK, bool accumulateV)
    {
        try
        {
            var args = AttentionArgs(q, k, v, heads, null, false, probabilities);
            args.Z = P(dOutput);
            args.Gamma = dq is null ? null : P(dq);
            args.Beta = dk is null ? null : P(dk);
            args.Rstd = dv is null ? null : P(dv);
            args.Overwrite = (accumulateQ ? 0 : 1) | (accumulateK ? 0 : 2) | (accumulateV ? 0 : 4);
            RowParallel.Run(ref args, &AttentionBackwardPairs, q.Shape[0] * heads, 10L * args.Nq * args.Nk * args.HeadDim);
        }
        finally
        {
            GC.KeepAlive(q);
            GC.KeepAlive(k);
            GC.KeepAlive(v);
            GC.KeepAlive(probabilities);
            GC.KeepAlive(dOutput);
            GC.KeepAlive(dq);
            GC.KeepAlive(dk);
            GC.KeepAlive(dv);
        }
    }

    private static RowArgs AttentionArgs(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor probabilities)
    {
        var b = q.Shape[0];
        var nq = q.Shape[1];
        var nk = k.Shape[1];
        var args = HeadsArgs(P(q), P(k), P(v), null, keyMask is null ? null : P(keyMask), nq, nk, heads, q.Shape[2], causal);
        args.Mean = P(probabilities);
        args.Cols = nk; // the softmax rows' width
        args.Shape = new TensorShape(b, heads, nq, nk);
        args.MaskShape = keyMask is null ? default : new TensorShape(b, 1, 1, nk);
        return args;
    }

    /// <summary>
    /// Whether the 16-wide-head forward applies: dk = 16 (one microkernel panel) and the keys within one K block of the
    /// GEMM (<see cref="Gemm.KC"/>), so that every product (Q·Kᵀ over dk, P·V over the keys) is one FMA chain from zero,
    /// as in the GEMM calls it replaces.
    /// </summary>
    private static bool Tiled(in RowArgs a) => a.HeadDim == Gemm.NR && a.Nk <= Gemm.KC;

    /// <summary>
    /// The dk = 16 forward, per (batch, head): Kᵀ packed once into 16-key panels, S = α·Q·Kᵀ on 6×16 tiles reading Q
    /// rows in place into scratch, each row's masked softmax written into P, O = P·V on 6×16 tiles reading V rows in
    /// place — every element the same FMA chain and roundings as the GEMM calls and softmax rows of
    /// <see cref="AttentionForwardPairs"/>, without their per-call packing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttentionForwardTiles(ref RowArgs a, int r0, int r1)
    {
        int nq = a.Nq, nk = a.Nk, dh = a.HeadDim, h = a.Heads, dm = h * dh;
        var nkp = (nk + 15) & ~15;
        var scratch = Scratch(ref _attentionForwardScratch, (dh * nkp) + (nq * nkp) + 8);
        fixed (float* kt = scratch)
        {
            var sm = kt + (dh * nkp);
            for (var r = r0; r < r1; r++)
            {
                var bi = r / h;
                var head = (r % h) * dh;
                var qBase = a.X + ((long)bi * nq * dm) + head;
                var vBase = a.V + ((long)bi * nk * dm) + head;
                var oBase = a.Y + ((long)bi * nq * dm) + head;
                var p = a.Mean + ((long)r * nq * nk);
                var maskRow = a.Mask == null ? null : a.Mask + ((long)bi * nk);
                PackKeyPanels(a.K + ((long)bi * nk * dm) + head, nk, nkp, dh, dm, kt);
                for (var ir = 0; ir < nq; ir += Gemm.MR)
                {
                    var mr = Math.Min(Gemm.MR, nq - ir);
                    for (var jr = 0; jr < nkp; jr += Gemm.NR)
                    {
                        Gemm.KernelRows6x16(dh, qBase + ((long)ir * dm), dm, kt + (jr * dh), Gemm.NR, sm + (ir * nkp) + jr, nkp, a.Scale, mr, Gemm.NR, overwrite: true);
                    }
                }

                for (var i = 0; i < nq; i++)
                {
                    SoftmaxRow(sm + (i * nkp), p + (i * nk), nk, maskRow, 1, a.Causal ? i + (nk - nq) : nk - 1, log: false);
                }

                for (var ir = 0; ir < nq; ir += Gemm.MR)
                {
                    Gemm.KernelRows6x16(nk, p + (ir * nk), nk, vBase, dm, oBase + ((long)ir * dm), dm, 1f, Math.Min(Gemm.MR, nq - ir), Gemm.NR, overwrite: true);
                }
            }
        }
    }

    /// <summary>(batch, head) pairs [r0, r1): S = α·Q·Kᵀ into P's slice, the masked softmax rows in place, O = P·V in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttentionForwardPairs(ref RowArgs a, int r0, int r1)
    {
        int nq = a.Nq, nk = a.Nk, dh = a.HeadDim, h = a.Heads, dm = h * dh;
        var scores = new GemmArgs(false, true, nq, nk, dh, a.Scale, dm, dm, 0f, nk);
        var values = new GemmArgs(false, false, nq, dh, nk, 1f, nk, dm, 0f, dm);
        for (var r = r0; r < r1; r++)
        {
            var bi = r / h;
            var head = (r % h) * dh;
            var p = a.Mean + ((long)r * nq * nk);
            Gemm.Serial(scores, a.X + ((long)bi * nq * dm) + head, a.K + ((long)bi * nk * dm) + head, p, 0, nq);
            var rows = a;
            rows.X = a.Mean;
            rows.Y = a.Mean;
            SoftmaxRows(ref rows, r * nq, (r + 1) * nq);
            Gemm.Serial(values, p, a.V + ((long)bi * nk * dm) + head, a.Y + ((long)bi * nq * dm) + head, 0, nq);
        }
    }

    /// <summary>
    /// (batch, head) pairs [r0, r1) of the backward, in the composed ops' order: dP = dO·Vᵀ and dV = Pᵀ·dO, the softmax
    /// backward dS = P ⊙ (dP − ⟨dP, P⟩), dQ = α·dS·K and dK = α·dSᵀ·Q — each into zeroed scratch with β = 1, as the
    /// composed ops accumulate into fresh gradients, then added into the inputs' gradients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttentionBackwardPairs(ref RowArgs a, int r0, int r1)
    {
        int nq = a.Nq, nk = a.Nk, dh = a.HeadDim, h = a.Heads, dm = h * dh;
        var need = (2 * nq * nk) + (Math.Max(nq, nk) * dh) + 8;
        var scratch = Scratch(ref _attentionBackwardScratch, need);

        var dP = new GemmArgs(false, true, nq, nk, dh, 1f, dm, dm, 1f, nk);
        var dV = new GemmArgs(true, false, nk, dh, nq, 1f, nk, dm, 1f, dh);
        var dQ = new GemmArgs(false, false, nq, dh, nk, a.Scale, nk, dm, 1f, dh);
        var dK = new GemmArgs(true, false, nk, dh, nq, a.Scale, nk, dm, 1f, dh);
        fixed (float* s = scratch)
        {
            var gp = s;
            var gs = gp + (nq * nk);
            var gx = gs + (nq * nk);
            for (var r = r0; r < r1; r++)
            {
                var bi = r / h;
                var head = (r % h) * dh;
                var p = a.Mean + ((long)r * nq * nk);
                var dOut = a.Z + ((long)bi * nq * dm) + head;
                var qh = a.X + ((long)bi * nq * dm) + head;
                var kh = a.K + ((long)bi * nk * dm) + head;
                var vh = a.V + ((long)bi * nk * dm) + head;

                new Span<float>(gp, nq * nk).Clear();
                Gemm.Serial(dP, dOut, vh, gp, 0, nq);
                if (a.Rstd != null)
                {
                    new Span<float>(gx, nk * dh).Clear();
                    Gemm.Serial(dV, p, dOut, gx, 0, nk);
                    AddHead(gx, a.Rstd + ((long)bi * nk * dm) + head, nk, dh, dm, (a.Overwrite & 4) != 0);
                }

                new Span<float>(gs, nq * nk).Clear();
                var rows = new RowArgs { Y = p, Z = gp, Beta = gs, Cols = nk };
                SoftmaxBackwardRows(ref rows, 0, nq);
                if (a.Gamma != null)
                {
                    new Span<float>(gx, nq * dh).Clear();
                    Gemm.Serial(dQ, gs, kh, gx, 0, nq);
                    AddHead(gx, a.Gamma + ((long)bi * nq * dm) + head, nq, dh, dm, (a.Overwrite & 1) != 0);
                }

                if (a.Beta != null)
                {
                    new Span<float>(gx, nk * dh).Clear();
                    Gemm.Serial(dK, gs, qh, gx, 0, nk);
                    AddHead(gx, a.Beta + ((long)bi * nk * dm) + head, nk, dh, dm, (a.Overwrite & 2) != 0);
                }
            }
        }
    }

    /// <summary>
    /// dst[i, 0..dh) += src[i, 0..dh) for <paramref name="rows"/> rows, dst rows <paramref name="stride"/> apart; with
    /// <paramref name="overwrite"/> dst = 0 + src (what adding onto a zeroed gradient stores).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddHead(float* src, float* dst, int rows, int dh, int stride, bool overwrite)
    {
        for (var i = 0; i < rows; i++)
        {
            var from = src + (i * dh);
            var to = dst + ((long)i * stride);
            var j = 0;
            for (; j <= dh - 8; j += 8)
            {
                ((overwrite ? Vector256<float>.Zero : Vector256.Load(to + j)) + Vector256.Load(from + j)).Store(to + j);
            }

            for (; j < dh; j++)
            {
                to[j] = (overwrite ? 0f : to[j]) + from[j];
            }
        }
    }
}
