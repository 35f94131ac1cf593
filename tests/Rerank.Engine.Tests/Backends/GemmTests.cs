using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine.Tests;

public sealed unsafe class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 17, 5, false, false)]
    [InlineData(13, 33, 300, true, false)]
    [InlineData(80, 40, 70, false, true)]
    [InlineData(100, 1030, 20, true, true)]
    [InlineData(150, 64, 64, false, true)]
    public void Run_Blocked_MatchesReferenceTripleLoop(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Rng(7);
        var a = RandomArray(m * k, rng);
        var b = RandomArray(k * n, rng);
        var c = RandomArray(m * n, rng);
        var expected = (float[])c.Clone();
        var args = new GemmArgs(transA, transB, m, n, k, 0.5f, transA ? m : k, transB ? k : n, 0.25f, n);
        fixed (float* pa = a, pb = b, pc = c, pe = expected)
        {
            Gemm.Run(args, pa, pb, pc);
            for (var i = 0; i < m * n; i++)
            {
                pe[i] *= 0.25f;
            }

            Gemm.Reference(args, pa, pb, pe, 0, m);
        }

        for (var i = 0; i < c.Length; i++)
        {
            c[i].ShouldBe(expected[i], 1e-4f * (1 + Math.Abs(expected[i])) * k, $"element {i}");
        }
    }

    [Fact]
    public void Run_OneOrTwoThreads_BitIdentical()
    {
        var rng = new Rng(8);
        const int M = 200, N = 96, K = 300;
        var a = RandomArray(M * K, rng);
        var b = RandomArray(K * N, rng);
        var one = new float[M * N];
        var two = new float[M * N];
        var args = new GemmArgs(false, false, M, N, K, 1f, K, N, 0f, N);
        var saved = ParallelRunner.Threads;
        try
        {
            fixed (float* pa = a, pb = b, p1 = one, p2 = two)
            {
                ParallelRunner.Threads = 1;
                Gemm.Run(args, pa, pb, p1);
                ParallelRunner.Threads = 2;
                Gemm.Run(args, pa, pb, p2);
            }
        }
        finally
        {
            ParallelRunner.Threads = saved;
        }

        two.ShouldBe(one);
    }

    /// <summary>
    /// The exact operations every C element goes through (what makes results independent of threads and blocking):
    /// per K block of <see cref="Gemm.KC"/>, a sequential FMA chain from zero, then added to C (or stored when C is
    /// overwritten). Checked bit for bit on shapes that take the row split, the column split (few rows: the weight
    /// gradients), Aᵀ read in place with a zero-padded last strip, and several K blocks.
    /// </summary>
    [Theory]
    [InlineData(64, 256, 1000, true, false, 1f, 2, false)]
    [InlineData(62, 64, 3000, true, false, 0f, 2, false)]
    [InlineData(62, 64, 3000, true, false, 1f, 1, false)]
    [InlineData(256, 64, 700, true, false, 1f, 2, false)]
    [InlineData(500, 70, 300, false, false, 0f, 2, false)]
    [InlineData(100, 96, 600, false, true, 1f, 2, false)]
    [InlineData(500, 70, 64, false, true, 0f, 2, true)] // Linear's bias added as tiles are written: C pre-filled with it
    [InlineData(62, 256, 600, false, true, 0f, 2, true)] // the same, columns split, several K blocks
    [InlineData(200, 20, 900, true, false, 1f, 2, false)] // few rows but N < M: rows split, one part per thread
    [InlineData(5, 64, 900, true, false, 0f, 2, false)] // a single row tile: columns split
    public void Run_EveryElement_FollowsTheBlockedFmaOrderBitForBit(int m, int n, int k, bool transA, bool transB, float beta, int threads, bool withBias)
    {
        if (!Gemm.IsFast)
        {
            return; // the scalar fallback rounds each product; the order below is the AVX2/FMA path's
        }

        var rng = new Rng(9);
        var a = RandomArray(m * k, rng);
        var b = RandomArray(k * n, rng);
        var c = RandomArray(m * n, rng);
        var bias = RandomArray(n, rng);
        var expected = (float[])c.Clone();
        var saved = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = threads;
            fixed (float* pa = a, pb = b, pc = c, pbias = bias)
            {
                var args = new GemmArgs(transA, transB, m, n, k, 1f, transA ? m : k, transB ? k : n, beta, n, Bias: withBias ? (nint)pbias : 0);
                Gemm.Run(args, pa, pb, pc);
            }
        }
        finally
        {
            ParallelRunner.Threads = saved;
        }

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var e = withBias ? bias[j] : beta == 0f ? 0f : expected[(i * n) + j];
                for (var p0 = 0; p0 < k; p0 += Gemm.KC)
                {
                    var acc = 0f;
                    for (var p = p0; p < Math.Min(k, p0 + Gemm.KC); p++)
                    {
                        var av = transA ? a[(p * m) + i] : a[(i * k) + p];
                        var bv = transB ? b[(j * k) + p] : b[(p * n) + j];
                        acc = MathF.FusedMultiplyAdd(av, bv, acc);
                    }

                    e = p0 == 0 && beta == 0f && !withBias ? acc : e + acc;
                }

                expected[(i * n) + j] = e;
            }
        }

        c.ShouldBe(expected);
    }

    private static float[] RandomArray(int n, Rng rng)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = (rng.NextFloat() * 2f) - 1f;
        }

        return a;
    }
}
