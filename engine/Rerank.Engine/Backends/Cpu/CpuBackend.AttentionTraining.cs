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
            RowParallel.Run(ref args, &AttentionForwardPairs, q.Shape[0] * heads, 6L * args.Nq * args.Nk * args.HeadDim);
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
    public void HeadsAttentionBackward(Tensor q, Tensor k, Tensor v, int heads, Tensor probabilities, Tensor dOutput, Tensor? dq, Tensor? dk, Tensor? dv)
    {
        try
        {
            var args = AttentionArgs(q, k, v, heads, null, false, probabilities);
            args.Z = P(dOutput);
            args.Gamma = dq is null ? null : P(dq);
            args.Beta = dk is null ? null : P(dk);
            args.Rstd = dv is null ? null : P(dv);
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
                    AddHead(gx, a.Rstd + ((long)bi * nk * dm) + head, nk, dh, dm);
                }

                new Span<float>(gs, nq * nk).Clear();
                var rows = new RowArgs { Y = p, Z = gp, Beta = gs, Cols = nk };
                SoftmaxBackwardRows(ref rows, 0, nq);
                if (a.Gamma != null)
                {
                    new Span<float>(gx, nq * dh).Clear();
                    Gemm.Serial(dQ, gs, kh, gx, 0, nq);
                    AddHead(gx, a.Gamma + ((long)bi * nq * dm) + head, nq, dh, dm);
                }

                if (a.Beta != null)
                {
                    new Span<float>(gx, nk * dh).Clear();
                    Gemm.Serial(dK, gs, qh, gx, 0, nk);
                    AddHead(gx, a.Beta + ((long)bi * nk * dm) + head, nk, dh, dm);
                }
            }
        }
    }

    /// <summary>dst[i, 0..dh) += src[i, 0..dh) for <paramref name="rows"/> rows, dst rows <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddHead(float* src, float* dst, int rows, int dh, int stride)
    {
        for (var i = 0; i < rows; i++)
        {
            var from = src + (i * dh);
            var to = dst + ((long)i * stride);
            var j = 0;
            for (; j <= dh - 8; j += 8)
            {
                (Vector256.Load(to + j) + Vector256.Load(from + j)).Store(to + j);
            }

            for (; j < dh; j++)
            {
                to[j] += from[j];
            }
        }
    }
}
