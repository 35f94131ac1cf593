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
