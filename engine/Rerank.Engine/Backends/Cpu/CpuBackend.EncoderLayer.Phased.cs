using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>The fused encoder layer for small batches (batch 1 at serving): three parallel phases, or two by heads.</summary>
internal sealed unsafe partial class CpuBackend
{
    /// <summary>
    /// A batch too small to give every thread whole requests (batch 1 at serving): the layer in three parallel phases over
    /// all its rows — rows: LN₁ and the Q, K, V projections; (request, head) pairs: attention; rows: the output projection,
    /// residual, LN₂, FFN and residual — each row still going through the same operations. With
    /// <paramref name="headsFirst"/> (heads of whole 16-column panels) the first two are one phase by heads, which also
    /// packs the weights (<see cref="ProjectAndAttendHeads"/>); otherwise the caller has packed them.
    /// </summary>
    private static void RunLayerPhased(ref LayerJob j, int rows, bool headsFirst)
    {
        var d = j.D;
        var need = (5 * rows * d) + 8;
        var shared = Scratch(ref _layerShared, need);

        fixed (float* s = shared)
        {
            j.Norm = s;
            j.Q = s + (rows * d);
            j.K = j.Q + (rows * d);
            j.V = j.K + (rows * d);
            j.Merged = j.V + (rows * d);
            j.Rows = rows;
            var tiles = (rows + Gemm.MR - 1) / Gemm.MR;
            var work = EncoderLayerWork.Instance;
            work.Job = j;
            if (headsFirst)
            {
                work.Phase = HeadsPhase;
                ParallelRunner.Run(work, Math.Min(j.Heads, ParallelRunner.Threads));
            }
            else
            {
                work.Phase = 1;
                ParallelRunner.Run(work, ParallelRunner.PartsFor(tiles));
                work.Phase = 2;
                ParallelRunner.Run(work, ParallelRunner.PartsFor(j.Items * j.Heads));
            }

            // one part per thread: each part runs its rows through W_o, W₁ and W₂, and smaller parts would only repeat that
            // (batch 1: 0.155 → 0.144 ms against four or eight parts); parts are claimed, so an idle thread takes a late one's
            work.Phase = 3;
            ParallelRunner.Run(work, Math.Min(tiles, ParallelRunner.Threads));

            work.Job = default;
            work.Phase = 0;
        }
    }

    /// <summary>Rows [r0, r1) of phase 1: LN₁ and the Q, K, V projections into the shared buffers.</summary>
    private static void ProjectRows(ref LayerJob j, int r0, int r1)
    {
        if (r1 <= r0)
        {
            return;
        }

        var d = j.D;
        var rows = r1 - r0;
        var off = (long)r0 * d;
        var ln = new RowArgs { X = j.X + off, Y = j.Norm + off, Gamma = j.Gamma1, Beta = j.Beta1, Cols = d, Epsilon = j.Eps1 };
        LayerNormRows(ref ln, 0, rows);
        LinearRows(j.Norm + off, rows, d, j.Wq, d, j.Bq, j.Q + off, Epilogue.None);
        LinearRows(j.Norm + off, rows, d, j.Wk, d, j.Bk, j.K + off, Epilogue.None);
        LinearRows(j.Norm + off, rows, d, j.Wv, d, j.Bv, j.V + off, Epilogue.None);
    }

    /// <summary>
    /// Part <paramref name="part"/> of the heads phase, which replaces phases 1 and 2 when every head is whole 16-column
    /// panels: it packs its heads' panels of W_q, W_k, W_v, normalises every row (LN₁, into its own scratch), projects its
    /// heads' columns of Q, K, V for every row and attends them at once — no hand-off between the projections and the
    /// attention, and the packing spread over the threads; then it packs its share of the panels of W_o, W₁, W₂ for phase 3.
    /// Every element goes through the same kernels as in phases 1 and 2.
    /// </summary>
    private static void ProjectAndAttendHeads(ref LayerJob j, int part, int parts)
    {
        int d = j.D, ff = j.Ff, rows = j.Rows, heads = j.Heads, dh = d / heads;
        var h0 = heads * part / parts;
        var h1 = heads * (part + 1) / parts;
        if (h1 > h0)
        {
            int c0 = h0 * dh, c1 = h1 * dh;
            PackPanels(j.RawQ, d, d, j.Wq, c0, c1);
            PackPanels(j.RawK, d, d, j.Wk, c0, c1);
            PackPanels(j.RawV, d, d, j.Wv, c0, c1);
            var scratch = Scratch(ref _layerScratch, (rows * d) + 8);
            fixed (float* norm = scratch)
            {
                var ln = new RowArgs { X = j.X, Y = norm, Gamma = j.Gamma1, Beta = j.Beta1, Cols = d, Epsilon = j.Eps1 };
                LayerNormRows(ref ln, 0, rows);
                LinearColumns(norm, rows, d, j.Wq, d, j.Bq, j.Q, c0, c1);
                LinearColumns(norm, rows, d, j.Wk, d, j.Bk, j.K, c0, c1);
                LinearColumns(norm, rows, d, j.Wv, d, j.Bv, j.V, c0, c1);
            }

            var args = HeadsArgs(j.Q, j.K, j.V, j.Merged, j.Mask, j.N, j.N, heads, d, j.Causal);
            for (var item = 0; item < j.Items; item++)
            {
                AttendHeads(ref args, (item * heads) + h0, (item * heads) + h1);
            }
        }

        // this part's share of the later matrices' 16-column panels: W_o's, then W₁'s, then W₂'s
        int po = d / Gemm.NR, p1 = (ff + Gemm.NR - 1) / Gemm.NR, total = po + p1 + po;
        for (var p = total * part / parts; p < total * (part + 1) / parts; p++)
        {
            if (p < po)
            {
                PackPanels(j.RawO, d, d, j.Wo, p * Gemm.NR, (p + 1) * Gemm.NR);
            }
            else if (p < po + p1)
            {
                var c = (p - po) * Gemm.NR;
                PackPanels(j.Raw1, ff, d, j.W1, c, Math.Min(ff, c + Gemm.NR));
            }
            else
            {
                var c = (p - po - p1) * Gemm.NR;
                PackPanels(j.Raw2, d, ff, j.W2, c, c + Gemm.NR);
            }
        }
    }

    /// <summary>Columns [c0, c1) (multiples of 16) of <see cref="LinearRows"/>: the same tiles, a subset of their columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LinearColumns(float* a, int rows, int inF, float* packedW, int outF, float* bias, float* c, int c0, int c1)
    {
        for (var ic = 0; ic < rows; ic += Gemm.MC)
        {
            var mc = Math.Min(Gemm.MC, rows - ic);
            for (var jr = c0; jr < c1; jr += Gemm.NR)
            {
                var nr = Math.Min(Gemm.NR, c1 - jr);
                for (var ir = 0; ir < mc; ir += Gemm.MR)
                {
                    var row = ic + ir;
                    Gemm.KernelRows6x16(inF, a + ((long)row * inF), inF, packedW + (jr * inF), Gemm.NR, c + ((long)row * outF) + jr, outF, 1f, Math.Min(Gemm.MR, mc - ir), nr, overwrite: true, Epilogue.None, bias == null ? null : bias + jr);
                }
            }
        }
    }

    /// <summary>(request, head) pairs [p0, p1) of phase 2: attention from the shared Q, K, V into the shared merged heads.</summary>
    private static void AttendPairs(ref LayerJob j, int p0, int p1)
    {
        var heads = HeadsArgs(j.Q, j.K, j.V, j.Merged, j.Mask, j.N, j.N, j.Heads, j.D, j.Causal);
        AttendHeads(ref heads, p0, p1);
    }

    /// <summary>Rows [r0, r1) of phase 3: output projection, residual, LN₂, FFN, residual, in this thread's scratch.</summary>
    private static void FinishRows(ref LayerJob j, int r0, int r1)
    {
        if (r1 <= r0)
        {
            return;
        }

        int d = j.D, ff = j.Ff;
        var rows = r1 - r0;
        var need = (rows * ((2 * d) + ff)) + 8;
        var scratch = Scratch(ref _layerScratch, need);

        fixed (float* s = scratch)
        {
            var norm = s;
            var proj = norm + (rows * d);
            var hidden = proj + (rows * d);
            var off = (long)r0 * d;
            var x = j.X + off;
            var y = j.Y + off;
            LinearRows(j.Merged + off, rows, d, j.Wo, d, j.Bo, proj, Epilogue.None);
            AddRows(x, proj, y, rows * d);
            var ln = new RowArgs { X = y, Y = norm, Gamma = j.Gamma2, Beta = j.Beta2, Cols = d, Epsilon = j.Eps2 };
            LayerNormRows(ref ln, 0, rows);
            LinearRows(norm, rows, d, j.W1, ff, j.B1, hidden, j.Epilogue);
            LinearRows(hidden, rows, ff, j.W2, d, j.B2, proj, Epilogue.None);
            AddRows(y, proj, y, rows * d);
        }
    }
}
