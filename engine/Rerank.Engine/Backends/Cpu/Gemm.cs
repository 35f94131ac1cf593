using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>
/// Single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, row-major. Cache-blocked (KC × NC panels of B,
/// MC × KC blocks of A); B packed into 16-column panels, A read in place from its rows (packed only when
/// transposed); a 6×16 AVX2/FMA register-blocked microkernel (12 ymm accumulators); a scalar path where
/// AVX2/FMA are missing. Rows of C are split across threads; every element is accumulated in the same k order
/// whatever the split, so results do not depend on the thread count.
/// </summary>
internal static unsafe partial class Gemm
{
    public const int MR = 6;
    public const int NR = 16;
    public const int KC = 256;
    public const int MC = 72;
    public const int NC = 1024;

    /// <summary>Below this many rows of C a parallel GEMM splits its columns instead.</summary>
    private const int ColumnSplitRows = 384;

    private static readonly bool Fast = Fma.IsSupported && Avx2.IsSupported;

    /// <summary>Whether the AVX2/FMA microkernels run on this CPU.</summary>
    public static bool IsFast => Fast;

    [ThreadStatic]
    private static float[]? _packA;

    [ThreadStatic]
    private static float[]? _packB;

    /// <summary>
    /// Runs one GEMM, splitting it over threads when it is large enough: by rows of C, or, when C has few rows (the weight
    /// gradients dYᵀ·X), one part per thread by rows or by 16-column panels, whichever re-reads the smaller operand.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs g, float* a, float* b, float* c)
    {
        long flops = 2L * g.M * g.N * g.K;
        if (flops < 2_000_000 || ParallelRunner.IsInside || ParallelRunner.Threads == 1)
        {
            Serial(g, a, b, c, 0, g.M);
            return;
        }

        var rowTiles = (g.M + MR - 1) / MR;
        var panels = (g.N + NR - 1) / NR;
        int parts;
        var byColumns = false;
        if (g.M < ColumnSplitRows)
        {
            // Few rows of C, a long K (the weight gradients dYᵀ·X): every row part packs all of B again and every column
            // part reads all of A again, so split the dimension whose operand is the larger (N < M: rows, each part
            // re-packing the smaller B), and into one part per thread — more parts would re-stream megabytes each.
            byColumns = panels >= 2 && (g.N >= g.M || rowTiles < 2);
            parts = Math.Min(ParallelRunner.Threads, byColumns ? panels : rowTiles);
        }
        else
        {
            parts = ParallelRunner.PartsFor(rowTiles);
        }
        if (parts <= 1)
        {
            Serial(g, a, b, c, 0, g.M);
            return;
        }

        var work = GemmWork.Instance;
        work.Set(g, a, b, c, byColumns);
        ParallelRunner.Run(work, parts);
        work.Clear();
    }

    /// <summary>Computes rows [m0, m1) of C on the calling thread.</summary>
    public static void Serial(in GemmArgs g, float* a, float* b, float* c, int m0, int m1) => Serial(g, a, b, c, m0, m1, 0, g.N);

    /// <summary>
    /// Computes rows [m0, m1) × columns [n0, n1) of C on the calling thread (<paramref name="n0"/> a multiple of
    /// <see cref="NR"/>); every element goes through the same operations whatever the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Serial(in GemmArgs g, float* a, float* b, float* c, int m0, int m1, int n0, int n1)
    {
        var m = m1 - m0;
        if (m <= 0 || n1 <= n0)
        {
            return;
        }

        if (n0 != 0 || n1 != g.N)
        {
            // A column block: the same GEMM on the columns [n0, n1) of B and C.
            var shift = g with { N = n1 - n0, Bias = g.Bias == 0 ? 0 : g.Bias + (n0 * sizeof(float)) };
            Serial(shift, a, g.TransB ? b + ((long)n0 * g.Ldb) : b + n0, c + n0, m0, m1, 0, n1 - n0);
            return;
        }

        if (g.Bias != 0 && (g.K == 0 || g.Alpha == 0f || !Fast))
        {
            // C starts as the bias in every row (the blocked path adds it as the first K block is written instead)
            var bias = new ReadOnlySpan<float>((float*)g.Bias, g.N);
            for (var i = m0; i < m1; i++)
            {
                bias.CopyTo(new Span<float>(c + ((long)i * g.Ldc), g.N));
            }
        }
        else if (g.K == 0 || g.Alpha == 0f || g.Beta != 0f)
        {
            ScaleC(g, c, m0, m1);
        }

        if (g.K == 0 || g.Alpha == 0f)
        {
            return;
        }

        if (!Fast)
        {
            if (g.Beta == 0f && g.Bias == 0)
            {
                ScaleC(g, c, m0, m1);
            }

            Reference(g, a, b, c, m0, m1);
            if (g.Epilogue != Epilogue.None)
            {
                for (var i = m0; i < m1; i++)
                {
                    var row = c + ((long)i * g.Ldc);
                    for (var j = 0; j < g.N; j++)
                    {
                        row[j] = g.Epilogue == Epilogue.Relu ? MathF.Max(row[j], 0f) : VectorMath.Gelu(row[j]);
                    }
                }
            }

            return;
        }

        _packA ??= new float[MC * KC];
        _packB ??= new float[KC * NC];
        fixed (float* pa = _packA, pb = _packB)
        {
            for (var jc = 0; jc < g.N; jc += NC)
            {
                var nc = Math.Min(NC, g.N - jc);
                for (var pc = 0; pc < g.K; pc += KC)
                {
                    var kc = Math.Min(KC, g.K - pc);
                    var overwrite = pc == 0 && g.Beta == 0f;
                    var bias = pc == 0 && g.Bias != 0 ? (float*)g.Bias + jc : null;
                    var epilogue = pc + kc >= g.K ? g.Epilogue : Epilogue.None;
                    PackB(g, b, pb, pc, kc, jc, nc);
                    if (g.TransA && pc + kc < g.K)
                    {
                        // the next K block of Aᵀ and B, while this one computes (rows of the weight gradients' long K
                        // dimension come from memory: read in place at a row stride, they would each wait on a miss)
                        Prefetch(a, g.Lda, pc + kc, Math.Min(KC, g.K - pc - kc), m0, m1);
                        if (!g.TransB)
                        {
                            Prefetch(b, g.Ldb, pc + kc, Math.Min(KC, g.K - pc - kc), jc, jc + nc);
                        }
                    }

                    for (var ic = m0; ic < m1; ic += MC)
                    {
                        var mc = Math.Min(MC, m1 - ic);
                        if (!g.TransA && ic + mc < m1)
                        {
                            // the next block of A's rows (read in place) and of C, while this one computes
                            var next = Math.Min(MC, m1 - ic - mc);
                            Prefetch(a, g.Lda, ic + mc, next, pc, pc + kc);
                            Prefetch(c, g.Ldc, ic + mc, next, jc, jc + nc);
                        }

                        if (g.TransA && mc % MR != 0)
                        {
                            // Aᵀ's rows are A's columns: a full 6-row strip is 6 adjacent floats of each row of A, read in
                            // place; only the last, partial strip is packed (zero-padded, no read past A's end).
                            PackA(g, a, pa, ic + (mc - (mc % MR)), mc % MR, pc, kc);
                        }

                        for (var jr = 0; jr < nc; jr += NR)
                        {
                            var nr = Math.Min(NR, nc - jr);
                            for (var ir = 0; ir < mc; ir += MR)
                            {
                                var mr = Math.Min(MR, mc - ir);
                                var cTile = c + ((long)(ic + ir) * g.Ldc) + jc + jr;
                                if (g.TransA)
                                {
                                    var inPlace = mr == MR;
                                    var aStrip = inPlace ? a + ((long)pc * g.Lda) + ic + ir : pa;
                                    Kernel6x16(kc, aStrip, inPlace ? g.Lda : MR, pb + (jr * kc), cTile, g.Ldc, g.Alpha, mr, nr, overwrite, epilogue, bias == null ? null : bias + jr);
                                }
                                else
                                {
                                    KernelRows6x16(kc, a + ((long)(ic + ir) * g.Lda) + pc, g.Lda, pb + (jr * kc), NR, cTile, g.Ldc, g.Alpha, mr, nr, overwrite, epilogue, bias == null ? null : bias + jr);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Prefetches columns [c0, c1) of <paramref name="rows"/> rows from <paramref name="r0"/> of a row-major matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Prefetch(float* m, int ld, int r0, int rows, int c0, int c1)
    {
        for (var r = r0; r < r0 + rows; r++)
        {
            var row = m + ((long)r * ld);
            for (var c = c0; c < c1; c += 16)
            {
                Sse.Prefetch0(row + c);
            }

            Sse.Prefetch0(row + c1 - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleC(in GemmArgs g, float* c, int m0, int m1)
    {
        if (g.Beta == 1f)
        {
            return;
        }

        for (var i = m0; i < m1; i++)
        {
            var row = new Span<float>(c + ((long)i * g.Ldc), g.N);
            if (g.Beta == 0f)
            {
                row.Clear();
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, g.Beta, row);
            }
        }
    }

    /// <summary>The plain triple loop: the fallback without AVX2/FMA and the reference the tests compare to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reference(in GemmArgs g, float* a, float* b, float* c, int m0, int m1)
    {
        for (var i = m0; i < m1; i++)
        {
            for (var j = 0; j < g.N; j++)
            {
                var s = 0f;
                for (var p = 0; p < g.K; p++)
                {
                    var av = g.TransA ? a[((long)p * g.Lda) + i] : a[((long)i * g.Lda) + p];
                    var bv = g.TransB ? b[((long)j * g.Ldb) + p] : b[((long)p * g.Ldb) + j];
                    s += av * bv;
                }

                c[((long)i * g.Ldc) + j] += g.Alpha * s;
            }
        }
    }

    /// <summary>Splits the rows of one GEMM across threads; one cached instance, so dispatching allocates nothing.</summary>
    private sealed class GemmWork : IParallelWork
    {
        [ThreadStatic]
        private static GemmWork? _instance;

        public static GemmWork Instance => _instance ??= new GemmWork();
        private GemmArgs _g;
        private float* _a;
        private float* _b;
        private float* _c;
        private bool _byColumns;

        public void Set(in GemmArgs g, float* a, float* b, float* c, bool byColumns)
        {
            _g = g;
            _a = a;
            _b = b;
            _c = c;
            _byColumns = byColumns;
        }

        public void Clear()
        {
            _a = _b = _c = null;
        }

        public void Execute(int part, int parts, int worker)
        {
            if (_byColumns)
            {
                var panels = (_g.N + NR - 1) / NR;
                var p0 = panels * part / parts;
                var p1 = panels * (part + 1) / parts;
                Serial(_g, _a, _b, _c, 0, _g.M, Math.Min(_g.N, p0 * NR), Math.Min(_g.N, p1 * NR));
                return;
            }

            var tiles = (_g.M + MR - 1) / MR;
            var t0 = tiles * part / parts;
            var t1 = tiles * (part + 1) / parts;
            Serial(_g, _a, _b, _c, Math.Min(_g.M, t0 * MR), Math.Min(_g.M, t1 * MR));
        }
    }
}

/// <summary>The shape and scalars of one GEMM: C[M,N] = alpha·op(A)·op(B) + beta·C, op(A) is M×K, op(B) is K×N.</summary>
/// <remarks>
/// <see cref="Bias"/> (the address of N floats, or 0; only with <see cref="Beta"/> = 0) is C's initial value in every row:
/// C = alpha·op(A)·op(B) + bias, rounded exactly as adding the product onto a C pre-filled with the bias (Linear's bias
/// without a separate pass over C).
/// </remarks>
internal readonly record struct GemmArgs(bool TransA, bool TransB, int M, int N, int K, float Alpha, int Lda, int Ldb, float Beta, int Ldc, Epilogue Epilogue = Epilogue.None, nint Bias = 0);

/// <summary>An activation applied to each C element as the last K block is written (inference fusion).</summary>
internal enum Epilogue
{
    None,
    Relu,
    Gelu,
}
