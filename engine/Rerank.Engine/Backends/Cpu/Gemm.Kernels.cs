using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>The 6×16 AVX2/FMA microkernels and their tile write-back (plain, accumulate, activated).</summary>
internal static unsafe partial class Gemm
{
    /// <summary>
    /// The microkernel reading A straight from its row-major rows (no packing; rows past the edge repeat the last row
    /// and are discarded) and B from 16-wide rows <paramref name="ldb"/> apart (16 when packed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void KernelRows6x16(int kc, float* a, int lda, float* pb, int ldb, float* c, int ldc, float alpha, int mr, int nr, bool overwrite, Epilogue epilogue = Epilogue.None, float* bias = null)
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

        WriteTile(c, ldc, alpha, mr, nr, overwrite, epilogue, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>
    /// The microkernel reading A as 6 adjacent floats per k, <paramref name="aStep"/> apart: a packed strip (6) or Aᵀ read
    /// in place from A's rows (its row stride).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* pa, int aStep, float* pb, float* c, int ldc, float alpha, int mr, int nr, bool overwrite, Epilogue epilogue, float* bias)
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
            pa += aStep;
            pb += NR;
        }

        WriteTile(c, ldc, alpha, mr, nr, overwrite, epilogue, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>
    /// Writes a 6×16 tile: C = α·acc (overwrite), C += α·acc, or, with <paramref name="bias"/> (16 floats, only when
    /// overwriting), C = α·acc + bias with exactly the roundings of adding α·acc onto a C pre-filled with the bias.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTile(
        float* c,
        int ldc,
        float alpha,
        int mr,
        int nr,
        bool overwrite,
        Epilogue epilogue,
        float* bias,
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
            WriteTileActivated(c, ldc, alpha, mr, nr, overwrite, epilogue, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
            return;
        }

        if (mr == MR && nr == NR)
        {
            if (overwrite && bias != null)
            {
                var b0 = Avx.LoadVector256(bias);
                var b1 = Avx.LoadVector256(bias + 8);
                Onto(c, c00, c01, va, b0, b1);
                Onto(c + ldc, c10, c11, va, b0, b1);
                Onto(c + (2 * ldc), c20, c21, va, b0, b1);
                Onto(c + (3 * ldc), c30, c31, va, b0, b1);
                Onto(c + (4 * ldc), c40, c41, va, b0, b1);
                Onto(c + (5 * ldc), c50, c51, va, b0, b1);
                return;
            }

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
                c[(i * ldc) + j] = (overwrite ? (bias == null ? 0f : bias[j]) : c[(i * ldc) + j]) + (alpha * tile[(i * NR) + j]);
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
        float* bias,
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
                else if (bias != null)
                {
                    lo += Avx.LoadVector256(bias);
                    hi += Avx.LoadVector256(bias + 8);
                }

                Avx.Store(row, Activate(lo, epilogue));
                Avx.Store(row + 8, Activate(hi, epilogue));
                continue;
            }

            for (var j = 0; j < nr; j++)
            {
                var v = (overwrite ? (bias == null ? 0f : bias[j]) : row[j]) + (alpha * t[j]);
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
    private static void Onto(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha, Vector256<float> b0, Vector256<float> b1)
    {
        Avx.Store(c, Fma.MultiplyAdd(lo, alpha, b0));
        Avx.Store(c + 8, Fma.MultiplyAdd(hi, alpha, b1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha)
    {
        Avx.Store(c, Fma.MultiplyAdd(lo, alpha, Avx.LoadVector256(c)));
        Avx.Store(c + 8, Fma.MultiplyAdd(hi, alpha, Avx.LoadVector256(c + 8)));
    }
}
