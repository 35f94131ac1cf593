using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>
/// Single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, row-major. Cache-blocked (KC × NC panels of B,
/// MC × KC blocks of A), both operands packed, a 6×16 AVX2/FMA register-blocked microkernel (12 ymm
/// accumulators), a scalar path where AVX2/FMA are missing. Rows of C are split across threads; every element
/// is accumulated in the same k order whatever the split, so results do not depend on the thread count.
/// </summary>
internal static unsafe class Gemm
{
    public const int MR = 6;
    public const int NR = 16;
    public const int KC = 256;
    public const int MC = 72;
    public const int NC = 1024;

    private static readonly bool Fast = Fma.IsSupported && Avx2.IsSupported;

    /// <summary>Whether the AVX2/FMA microkernels run on this CPU.</summary>
    public static bool IsFast => Fast;

    [ThreadStatic]
    private static float[]? _packA;

    [ThreadStatic]
    private static float[]? _packB;

    /// <summary>Runs one GEMM, splitting rows over threads when it is large enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs g, float* a, float* b, float* c)
    {
        long flops = 2L * g.M * g.N * g.K;
        var parts = flops < 2_000_000 || ParallelRunner.IsInside ? 1 : ParallelRunner.PartsFor((g.M + MR - 1) / MR);
        if (parts <= 1)
        {
            Serial(g, a, b, c, 0, g.M);
            return;
        }

        var work = GemmWork.Instance;
        work.Set(g, a, b, c);
        ParallelRunner.Run(work, parts);
        work.Clear();
    }

    /// <summary>Computes rows [m0, m1) of C on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Serial(in GemmArgs g, float* a, float* b, float* c, int m0, int m1)
    {
        var m = m1 - m0;
        if (m <= 0 || g.N == 0)
        {
            return;
        }

        if (g.K == 0 || g.Alpha == 0f || g.Beta != 0f)
        {
            ScaleC(g, c, m0, m1);
        }

        if (g.K == 0 || g.Alpha == 0f)
        {
            return;
        }

        if (!Fast)
        {
            if (g.Beta == 0f)
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
                    var epilogue = pc + kc >= g.K ? g.Epilogue : Epilogue.None;
                    PackB(g, b, pb, pc, kc, jc, nc);
                    for (var ic = m0; ic < m1; ic += MC)
                    {
                        var mc = Math.Min(MC, m1 - ic);
                        if (g.TransA)
                        {
                            PackA(g, a, pa, ic, mc, pc, kc);
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
                                    Kernel6x16(kc, pa + (ir * kc), pb + (jr * kc), cTile, g.Ldc, g.Alpha, mr, nr, overwrite, epilogue);
                                }
                                else
                                {
                                    KernelRows6x16(kc, a + ((long)(ic + ir) * g.Lda) + pc, g.Lda, pb + (jr * kc), NR, cTile, g.Ldc, g.Alpha, mr, nr, overwrite, epilogue);
                                }
                            }
                        }
                    }
                }
            }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in GemmArgs g, float* b, float* pb, int pc, int kc, int jc, int nc)
    {
        for (var jr = 0; jr < nc; jr += NR)
        {
            var nr = Math.Min(NR, nc - jr);
            var dst = pb + (jr * kc);
            if (!g.TransB)
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = b + ((long)(pc + p) * g.Ldb) + jc + jr;
                    if (nr == NR)
                    {
                        Avx.Store(dst + (p * NR), Avx.LoadVector256(src));
                        Avx.Store(dst + (p * NR) + 8, Avx.LoadVector256(src + 8));
                    }
                    else
                    {
                        new Span<float>(src, nr).CopyTo(new Span<float>(dst + (p * NR), nr));
                        new Span<float>(dst + (p * NR) + nr, NR - nr).Clear();
                    }
                }

                continue;
            }

            for (var j = 0; j < nr; j++)
            {
                var src = b + ((long)(jc + jr + j) * g.Ldb) + pc;
                for (var p = 0; p < kc; p++)
                {
                    dst[(p * NR) + j] = src[p];
                }
            }

            if (nr < NR)
            {
                for (var p = 0; p < kc; p++)
                {
                    new Span<float>(dst + (p * NR) + nr, NR - nr).Clear();
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in GemmArgs g, float* a, float* pa, int ic, int mc, int pc, int kc)
    {
        for (var ir = 0; ir < mc; ir += MR)
        {
            var mr = Math.Min(MR, mc - ir);
            var dst = pa + (ir * kc);
            if (g.TransA)
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = a + ((long)(pc + p) * g.Lda) + ic + ir;
                    var d = dst + (p * MR);
                    for (var i = 0; i < mr; i++)
                    {
                        d[i] = src[i];
                    }

                    for (var i = mr; i < MR; i++)
                    {
                        d[i] = 0f;
                    }
                }
            }
            else
            {
                for (var i = 0; i < MR; i++)
                {
                    if (i < mr)
                    {
                        var src = a + ((long)(ic + ir + i) * g.Lda) + pc;
                        for (var p = 0; p < kc; p++)
                        {
                            dst[(p * MR) + i] = src[p];
                        }
                    }
                    else
                    {
                        for (var p = 0; p < kc; p++)
                        {
                            dst[(p * MR) + i] = 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The microkernel reading A straight from its row-major rows (no packing; rows past the edge repeat the last row
    /// and are discarded) and B from 16-wide rows <paramref name="ldb"/> apart (16 when packed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void KernelRows6x16(int kc, float* a, int lda, float* pb, int ldb, float* c, int ldc, float alpha, int mr, int nr, bool overwrite, Epilogue epilogue = Epilogue.None)
    {
        var a0 = a;
        var a1 = a + ((long)Math.Min(1, mr - 1) * lda);
        var a2 = a + ((long)Math.Min(2, mr - 1) * lda);
        var a3 = a + ((long)Math.Min(3, mr - 1) * lda);
        var a4 = a + ((long)Math.Min(4, mr - 1) * lda);
        var a5 = a + ((long)Math.Min(5, mr - 1) * lda);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(pb);
            var b1 = Avx.LoadVector256(pb + 8);
            var x = Vector256.Create(a0[p]);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p]);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p]);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p]);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[p]);
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[p]);
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
            pb += ldb;
        }

        WriteTile(c, ldc, alpha, mr, nr, overwrite, epilogue, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* pa, float* pb, float* c, int ldc, float alpha, int mr, int nr, bool overwrite, Epilogue epilogue)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(pb);
            var b1 = Avx.LoadVector256(pb + 8);
            var a = Vector256.Create(pa[0]);
            c00 = Fma.MultiplyAdd(a, b0, c00);
            c01 = Fma.MultiplyAdd(a, b1, c01);
            a = Vector256.Create(pa[1]);
            c10 = Fma.MultiplyAdd(a, b0, c10);
            c11 = Fma.MultiplyAdd(a, b1, c11);
            a = Vector256.Create(pa[2]);
            c20 = Fma.MultiplyAdd(a, b0, c20);
            c21 = Fma.MultiplyAdd(a, b1, c21);
            a = Vector256.Create(pa[3]);
            c30 = Fma.MultiplyAdd(a, b0, c30);
            c31 = Fma.MultiplyAdd(a, b1, c31);
            a = Vector256.Create(pa[4]);
            c40 = Fma.MultiplyAdd(a, b0, c40);
            c41 = Fma.MultiplyAdd(a, b1, c41);
            a = Vector256.Create(pa[5]);
            c50 = Fma.MultiplyAdd(a, b0, c50);
            c51 = Fma.MultiplyAdd(a, b1, c51);
            pa += MR;
            pb += NR;
        }

        WriteTile(c, ldc, alpha, mr, nr, overwrite, epilogue, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTile(
        float* c,
        int ldc,
        float alpha,
        int mr,
        int nr,
        bool overwrite,
        Epilogue epilogue,
        Vector256<float> c00,
        Vector256<float> c01,
        Vector256<float> c10,
        Vector256<float> c11,
        Vector256<float> c20,
        Vector256<float> c21,
        Vector256<float> c30,
        Vector256<float> c31,
        Vector256<float> c40,
        Vector256<float> c41,
        Vector256<float> c50,
        Vector256<float> c51)
    {
        var va = Vector256.Create(alpha);
        if (epilogue != Epilogue.None)
        {
            WriteTileActivated(c, ldc, alpha, mr, nr, overwrite, epilogue, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
            return;
        }

        if (mr == MR && nr == NR)
        {
            if (overwrite)
            {
                Put(c, c00, c01, va);
                Put(c + ldc, c10, c11, va);
                Put(c + (2 * ldc), c20, c21, va);
                Put(c + (3 * ldc), c30, c31, va);
                Put(c + (4 * ldc), c40, c41, va);
                Put(c + (5 * ldc), c50, c51, va);
                return;
            }

            Store(c, c00, c01, va);
            Store(c + ldc, c10, c11, va);
            Store(c + (2 * ldc), c20, c21, va);
            Store(c + (3 * ldc), c30, c31, va);
            Store(c + (4 * ldc), c40, c41, va);
            Store(c + (5 * ldc), c50, c51, va);
            return;
        }

        var tile = stackalloc float[MR * NR];
        Avx.Store(tile, c00);
        Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10);
        Avx.Store(tile + 24, c11);
        Avx.Store(tile + 32, c20);
        Avx.Store(tile + 40, c21);
        Avx.Store(tile + 48, c30);
        Avx.Store(tile + 56, c31);
        Avx.Store(tile + 64, c40);
        Avx.Store(tile + 72, c41);
        Avx.Store(tile + 80, c50);
        Avx.Store(tile + 88, c51);
        for (var i = 0; i < mr; i++)
        {
            for (var j = 0; j < nr; j++)
            {
                c[(i * ldc) + j] = (overwrite ? 0f : c[(i * ldc) + j]) + (alpha * tile[(i * NR) + j]);
            }
        }
    }

    private static void WriteTileActivated(
        float* c,
        int ldc,
        float alpha,
        int mr,
        int nr,
        bool overwrite,
        Epilogue epilogue,
        Vector256<float> c00,
        Vector256<float> c01,
        Vector256<float> c10,
        Vector256<float> c11,
        Vector256<float> c20,
        Vector256<float> c21,
        Vector256<float> c30,
        Vector256<float> c31,
        Vector256<float> c40,
        Vector256<float> c41,
        Vector256<float> c50,
        Vector256<float> c51)
    {
        var tile = stackalloc float[MR * NR];
        Avx.Store(tile, c00);
        Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10);
        Avx.Store(tile + 24, c11);
        Avx.Store(tile + 32, c20);
        Avx.Store(tile + 40, c21);
        Avx.Store(tile + 48, c30);
        Avx.Store(tile + 56, c31);
        Avx.Store(tile + 64, c40);
        Avx.Store(tile + 72, c41);
        Avx.Store(tile + 80, c50);
        Avx.Store(tile + 88, c51);
        var va = Vector256.Create(alpha);
        for (var i = 0; i < mr; i++)
        {
            var row = c + (i * ldc);
            var t = tile + (i * NR);
            if (nr == NR)
            {
                var lo = Avx.LoadVector256(t) * va;
                var hi = Avx.LoadVector256(t + 8) * va;
                if (!overwrite)
                {
                    lo += Avx.LoadVector256(row);
                    hi += Avx.LoadVector256(row + 8);
                }

                Avx.Store(row, Activate(lo, epilogue));
                Avx.Store(row + 8, Activate(hi, epilogue));
                continue;
            }

            for (var j = 0; j < nr; j++)
            {
                var v = (overwrite ? 0f : row[j]) + (alpha * t[j]);
                row[j] = epilogue == Epilogue.Relu ? MathF.Max(v, 0f) : VectorMath.Gelu(v);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Activate(Vector256<float> v, Epilogue e) =>
        e == Epilogue.Relu ? Vector256.Max(v, Vector256<float>.Zero) : VectorMath.Gelu(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha)
    {
        Avx.Store(c, lo * alpha);
        Avx.Store(c + 8, hi * alpha);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha)
    {
        Avx.Store(c, Fma.MultiplyAdd(lo, alpha, Avx.LoadVector256(c)));
        Avx.Store(c + 8, Fma.MultiplyAdd(hi, alpha, Avx.LoadVector256(c + 8)));
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

        public void Set(in GemmArgs g, float* a, float* b, float* c)
        {
            _g = g;
            _a = a;
            _b = b;
            _c = c;
        }

        public void Clear()
        {
            _a = _b = _c = null;
        }

        public void Execute(int part, int parts, int worker)
        {
            var tiles = (_g.M + MR - 1) / MR;
            var t0 = tiles * part / parts;
            var t1 = tiles * (part + 1) / parts;
            Serial(_g, _a, _b, _c, Math.Min(_g.M, t0 * MR), Math.Min(_g.M, t1 * MR));
        }
    }
}

/// <summary>The shape and scalars of one GEMM: C[M,N] = alpha·op(A)·op(B) + beta·C, op(A) is M×K, op(B) is K×N.</summary>
internal readonly record struct GemmArgs(bool TransA, bool TransB, int M, int N, int K, float Alpha, int Lda, int Ldb, float Beta, int Ldc, Epilogue Epilogue = Epilogue.None);

/// <summary>An activation applied to each C element as the last K block is written (inference fusion).</summary>
internal enum Epilogue
{
    None,
    Relu,
    Gelu,
}
