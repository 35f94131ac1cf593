using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>About this many rows (a few requests) go through the whole layer together: their activations, ≈ 3 KB a row
    /// at d = 64 and FFN 256, stay in the core's L2 from the first norm to the last residual.</summary>
    private const int LayerChunkRows = 128;

    /// <summary>The phase that does phases 1 and 2 by heads (see <see cref="ProjectAndAttendHeads"/>).</summary>
    private const int HeadsPhase = 4;

    [ThreadStatic]
    private static float[]? _layerScratch;

    [ThreadStatic]
    private static float[]? _layerWeights;

    [ThreadStatic]
    private static float[]? _layerShared;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryEncoderLayer(Tensor x, Tensor? keyMask, bool causal, in EncoderLayerWeights weights, Tensor y)
    {
        var d = x.Shape[2];
        var ff = weights.Up.Shape[0];
        if (!Gemm.IsFast || d > Gemm.KC || ff > Gemm.KC || weights.Activation is not (UnaryOp.Relu or UnaryOp.Gelu))
        {
            return false; // one K block per GEMM is what lets the weights be packed once for every chunk
        }

        try
        {
            var b = x.Shape[0];
            var n = x.Shape[1];
            var dp = (d + Gemm.NR - 1) / Gemm.NR * Gemm.NR;
            var fp = (ff + Gemm.NR - 1) / Gemm.NR * Gemm.NR;
            var need = (4 * d * dp) + (d * fp) + (ff * dp);
            var packed = Scratch(ref _layerWeights, need);

            fixed (float* pw = packed)
            {
                var w = weights;
                var job = new LayerJob
                {
                    X = P(x),
                    Y = P(y),
                    Mask = keyMask is null ? null : P(keyMask),
                    Items = b,
                    N = n,
                    D = d,
                    Ff = ff,
                    Heads = w.Heads,
                    Causal = causal,
                    ChunkItems = Math.Max(1, LayerChunkRows / Math.Max(1, n)),
                    Gamma1 = PN(w.Norm1Gamma),
                    Beta1 = PN(w.Norm1Beta),
                    Eps1 = w.Norm1Epsilon,
                    Gamma2 = PN(w.Norm2Gamma),
                    Beta2 = PN(w.Norm2Beta),
                    Eps2 = w.Norm2Epsilon,
                    Wq = pw,
                    Wk = pw + (d * dp),
                    Wv = pw + (2 * d * dp),
                    Wo = pw + (3 * d * dp),
                    W1 = pw + (4 * d * dp),
                    W2 = pw + (4 * d * dp) + (d * fp),
                    RawQ = P(w.Query),
                    RawK = P(w.Key),
                    RawV = P(w.Value),
                    RawO = P(w.Output),
                    Raw1 = P(w.Up),
                    Raw2 = P(w.Down),
                    Bq = PN(w.QueryBias),
                    Bk = PN(w.KeyBias),
                    Bv = PN(w.ValueBias),
                    Bo = PN(w.OutputBias),
                    B1 = PN(w.UpBias),
                    B2 = PN(w.DownBias),
                    Epilogue = w.Activation == UnaryOp.Relu ? Epilogue.Relu : Epilogue.Gelu,
                };
                var flopsPerItem = 2L * n * ((4L * d * d) + (2L * d * ff) + (2L * n * d));
                var serial = b * flopsPerItem < 2_000_000 || ParallelRunner.IsInside || ParallelRunner.Threads == 1;
                var phased = !serial && b < 2 * ParallelRunner.Threads;
                if (!phased || d / w.Heads % Gemm.NR != 0)
                {
                    PackAll(ref job);
                }

                if (serial)
                {
                    RunLayer(ref job, 0, b);
                }
                else if (phased)
                {
                    RunLayerPhased(ref job, b * n, headsFirst: d / w.Heads % Gemm.NR == 0);
                }
                else
                {
                    var work = EncoderLayerWork.Instance;
                    work.Job = job;
                    ParallelRunner.Run(work, ParallelRunner.PartsFor(b));
                    work.Job = default;
                }
            }

            return true;
        }
        finally
        {
            GC.KeepAlive(weights.Query);
            GC.KeepAlive(weights.Key);
            GC.KeepAlive(weights.Value);
            GC.KeepAlive(weights.Output);
            GC.KeepAlive(weights.Up);
            GC.KeepAlive(weights.Down);
            GC.KeepAlive(x);
            GC.KeepAlive(keyMask);
            GC.KeepAlive(y);
            GC.KeepAlive(weights.Norm1Gamma);
            GC.KeepAlive(weights.Norm1Beta);
            GC.KeepAlive(weights.Norm2Gamma);
            GC.KeepAlive(weights.Norm2Beta);
            GC.KeepAlive(weights.QueryBias);
            GC.KeepAlive(weights.KeyBias);
            GC.KeepAlive(weights.ValueBias);
            GC.KeepAlive(weights.OutputBias);
            GC.KeepAlive(weights.UpBias);
            GC.KeepAlive(weights.DownBias);
        }
    }

    private static float* PN(Tensor? t) => t is null ? null : P(t);

    /// <summary>Packs the six weight matrices of the layer into the job's packed buffers.</summary>
    private static void PackAll(ref LayerJob j)
    {
        PackPanels(j.RawQ, j.D, j.D, j.Wq, 0, j.D);
        PackPanels(j.RawK, j.D, j.D, j.Wk, 0, j.D);
        PackPanels(j.RawV, j.D, j.D, j.Wv, 0, j.D);
        PackPanels(j.RawO, j.D, j.D, j.Wo, 0, j.D);
        PackPanels(j.Raw1, j.Ff, j.D, j.W1, 0, j.Ff);
        PackPanels(j.Raw2, j.D, j.Ff, j.W2, 0, j.D);
    }

    /// <summary>
    /// Packs output columns [<paramref name="j0"/>, <paramref name="j1"/>) of W [out, in] (<paramref name="j0"/> a multiple
    /// of 16) as the B operand of x·Wᵀ — 16-column panels, one K block — where the whole matrix's packing puts them.
    /// </summary>
    private static void PackPanels(float* weight, int outF, int inF, float* packed, int j0, int j1)
    {
        var g = new GemmArgs(false, true, 0, outF, inF, 1f, inF, inF, 0f, outF);
        Gemm.PackB(g, weight, packed + ((long)j0 * inF), 0, inF, j0, j1 - j0);
    }

    /// <summary>Items [i0, i1), a chunk of items at a time, every step on the chunk's rows in thread-local scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunLayer(ref LayerJob j, int i0, int i1)
    {
        int n = j.N, d = j.D, ff = j.Ff;
        var maxRows = j.ChunkItems * n;
        var need = (maxRows * ((6 * d) + ff)) + 8;
        var scratch = Scratch(ref _layerScratch, need);

        fixed (float* s = scratch)
        {
            var norm = s;
            var q = norm + (maxRows * d);
            var k = q + (maxRows * d);
            var v = k + (maxRows * d);
            var merged = v + (maxRows * d);
            var proj = merged + (maxRows * d);
            var hidden = proj + (maxRows * d);
            for (var c0 = i0; c0 < i1; c0 += j.ChunkItems)
            {
                var items = Math.Min(j.ChunkItems, i1 - c0);
                var rows = items * n;
                var x = j.X + ((long)c0 * n * d);
                var y = j.Y + ((long)c0 * n * d);

                var ln = new RowArgs { X = x, Y = norm, Gamma = j.Gamma1, Beta = j.Beta1, Cols = d, Epsilon = j.Eps1 };
                LayerNormRows(ref ln, 0, rows);
                LinearRows(norm, rows, d, j.Wq, d, j.Bq, q, Epilogue.None);
                LinearRows(norm, rows, d, j.Wk, d, j.Bk, k, Epilogue.None);
                LinearRows(norm, rows, d, j.Wv, d, j.Bv, v, Epilogue.None);
                var heads = HeadsArgs(q, k, v, merged, j.Mask == null ? null : j.Mask + ((long)c0 * n), n, n, j.Heads, d, j.Causal);
                AttendHeads(ref heads, 0, items * j.Heads);

                LinearRows(merged, rows, d, j.Wo, d, j.Bo, proj, Epilogue.None);
                AddRows(x, proj, y, rows * d);

                ln = new RowArgs { X = y, Y = norm, Gamma = j.Gamma2, Beta = j.Beta2, Cols = d, Epsilon = j.Eps2 };
                LayerNormRows(ref ln, 0, rows);
                LinearRows(norm, rows, d, j.W1, ff, j.B1, hidden, j.Epilogue);
                LinearRows(hidden, rows, ff, j.W2, d, j.B2, proj, Epilogue.None);
                AddRows(y, proj, y, rows * d);
            }
        }
    }

    /// <summary>
    /// c = act(a·Wᵀ + bias) for <paramref name="rows"/> rows with W pre-packed: the bias added as each tile is written,
    /// as <see cref="LinearActivated"/> does (so every element rounds the same).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LinearRows(float* a, int rows, int inF, float* packedW, int outF, float* bias, float* c, Epilogue epilogue)
    {
        for (var ic = 0; ic < rows; ic += Gemm.MC)
        {
            var mc = Math.Min(Gemm.MC, rows - ic);
            for (var jr = 0; jr < outF; jr += Gemm.NR)
            {
                var nr = Math.Min(Gemm.NR, outF - jr);
                for (var ir = 0; ir < mc; ir += Gemm.MR)
                {
                    var mr = Math.Min(Gemm.MR, mc - ir);
                    var row = ic + ir;
                    Gemm.KernelRows6x16(inF, a + ((long)row * inF), inF, packedW + (jr * inF), Gemm.NR, c + ((long)row * outF) + jr, outF, 1f, mr, nr, overwrite: true, epilogue, bias == null ? null : bias + jr);
                }
            }
        }
    }

    /// <summary>y = a + b element-wise (the residual adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRows(float* a, float* b, float* y, int count)
    {
        var i = 0;
        for (; i <= count - 8; i += 8)
        {
            (Vector256.Load(a + i) + Vector256.Load(b + i)).Store(y + i);
        }

        for (; i < count; i++)
        {
            y[i] = a[i] + b[i];
        }
    }

    /// <summary>What one fused encoder-layer call works on: pointers into pinned tensors and the caller's packed weights.</summary>
    private struct LayerJob
    {
        public float* X;
        public float* Y;
        public float* Mask;
        public float* Gamma1;
        public float* Beta1;
        public float* Gamma2;
        public float* Beta2;
        public float* Wq;
        public float* Wk;
        public float* Wv;
        public float* Wo;
        public float* W1;
        public float* W2;
        public float* Bq;
        public float* Bk;
        public float* Bv;
        public float* Bo;
        public float* B1;
        public float* B2;
        public int Items;
        public int N;
        public int D;
        public int Ff;
        public int Heads;
        public int ChunkItems;
        public float Eps1;
        public float Eps2;
        public bool Causal;
        public Epilogue Epilogue;

        // the phased path (small batches): buffers over all rows, shared by the threads
        public float* Norm;
        public float* Q;
        public float* K;
        public float* V;
        public float* Merged;
        public int Rows;

        // the weights as given ([out, in]), packed inside the heads phase
        public float* RawQ;
        public float* RawK;
        public float* RawV;
        public float* RawO;
        public float* Raw1;
        public float* Raw2;
    }

    /// <summary>Splits the items of one fused layer across threads; one cached instance per calling thread.</summary>
    private sealed class EncoderLayerWork : IParallelWork
    {
        [ThreadStatic]
        private static EncoderLayerWork? _instance;

        public static EncoderLayerWork Instance => _instance ??= new EncoderLayerWork();

        public LayerJob Job;

        /// <summary>0: whole requests per part; 1–3 and <see cref="HeadsPhase"/>: the phases of <see cref="RunLayerPhased"/>.</summary>
        public int Phase;

        public void Execute(int part, int parts, int worker)
        {
            var job = Job;
            if (Phase == HeadsPhase)
            {
                ProjectAndAttendHeads(ref job, part, parts);
                return;
            }

            if (Phase is 1 or 3)
            {
                var tiles = (job.Rows + Gemm.MR - 1) / Gemm.MR;
                var r0 = Math.Min(job.Rows, tiles * part / parts * Gemm.MR);
                var r1 = Math.Min(job.Rows, tiles * (part + 1) / parts * Gemm.MR);
                if (Phase == 1)
                {
                    ProjectRows(ref job, r0, r1);
                }
                else
                {
                    FinishRows(ref job, r0, r1);
                }

                return;
            }

            if (Phase == 2)
            {
                var pairs = job.Items * job.Heads;
                AttendPairs(ref job, pairs * part / parts, pairs * (part + 1) / parts);
                return;
            }

            var i0 = (int)((long)job.Items * part / parts);
            var i1 = (int)((long)job.Items * (part + 1) / parts);
            RunLayer(ref job, i0, i1);
        }
    }
}
