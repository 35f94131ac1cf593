using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>Packing: B into 16-column panels (transposed B by 8×8 register transposes), transposed A into MR-row strips.</summary>
internal static unsafe partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackB(in GemmArgs g, float* b, float* pb, int pc, int kc, int jc, int nc)
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

            var p0 = 0;
            if (nr == NR)
            {
                // 8 × 8 blocks transposed in registers (the weights of x·Wᵀ at every Linear call; batch 1 packs them all)
                for (; p0 + 8 <= kc; p0 += 8)
                {
                    var src = b + ((long)(jc + jr) * g.Ldb) + pc + p0;
                    Transpose8x8(src, g.Ldb, dst + (p0 * NR), NR);
                    Transpose8x8(src + (8L * g.Ldb), g.Ldb, dst + (p0 * NR) + 8, NR);
                }
            }

            for (var j = 0; j < nr; j++)
            {
                var src = b + ((long)(jc + jr + j) * g.Ldb) + pc;
                for (var p = p0; p < kc; p++)
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

    /// <summary>dst[k·ldd + i] = src[i·lds + k] for an 8 × 8 block (unpack, shuffle, swap 128-bit lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int lds, float* dst, int ldd)
    {
        var v0 = Avx.LoadVector256(src);
        var v1 = Avx.LoadVector256(src + lds);
        var v2 = Avx.LoadVector256(src + (2L * lds));
        var v3 = Avx.LoadVector256(src + (3L * lds));
        var v4 = Avx.LoadVector256(src + (4L * lds));
        var v5 = Avx.LoadVector256(src + (5L * lds));
        var v6 = Avx.LoadVector256(src + (6L * lds));
        var v7 = Avx.LoadVector256(src + (7L * lds));
        var t0 = Avx.UnpackLow(v0, v1);
        var t1 = Avx.UnpackHigh(v0, v1);
        var t2 = Avx.UnpackLow(v2, v3);
        var t3 = Avx.UnpackHigh(v2, v3);
        var t4 = Avx.UnpackLow(v4, v5);
        var t5 = Avx.UnpackHigh(v4, v5);
        var t6 = Avx.UnpackLow(v6, v7);
        var t7 = Avx.UnpackHigh(v6, v7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * ldd), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * ldd), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * ldd), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * ldd), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * ldd), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * ldd), Avx.Permute2x128(s3, s7, 0x31));
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
}
