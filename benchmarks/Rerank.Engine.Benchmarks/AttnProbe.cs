using System.Diagnostics;
using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine.Benchmarks;

/// <summary>Attention with gradients on the reranker shapes, by kernel (inference, fused forward, backward fresh/accumulating).</summary>
internal static class AttnProbe
{
    public static void Run(int threads)
    {
        Parallelism.Threads = threads;
        var rng = new Rng(1);
        const int B = 256, N = 60, D = 64, H = 4;
        var q = Tensor.Normal(new TensorShape(B, N, D), rng);
        var k = Tensor.Normal(new TensorShape(B, N, D), rng);
        var v = Tensor.Normal(new TensorShape(B, N, D), rng);
        var mask = Tensor.Full(new TensorShape(B, N), 1f);
        var p = Tensor.Zeros(new TensorShape(B, H, N, N));
        var o = Tensor.Zeros(new TensorShape(B, N, D));
        var dO = Tensor.Normal(new TensorShape(B, N, D), rng);
        var dq = Tensor.Zeros(new TensorShape(B, N, D));
        var dk = Tensor.Zeros(new TensorShape(B, N, D));
        var dv = Tensor.Zeros(new TensorShape(B, N, D));
        var be = new CpuBackend();
        Time("inference HeadsAttention", () => be.HeadsAttention(q, k, v, H, mask, false, o));
        Time("training forward", () => be.TryHeadsAttentionForward(q, k, v, H, mask, false, p, o));
        Time("training backward (fresh)", () => be.HeadsAttentionBackward(q, k, v, H, p, dO, dq, dk, dv, false, false, false));
        Time("training backward (accumulate)", () => be.HeadsAttentionBackward(q, k, v, H, p, dO, dq, dk, dv, true, true, true));
    }

    private static void Time(string name, Action f)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 30; i++)
        {
            var sw = Stopwatch.StartNew();
            f();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{name,-34} {best,8:F3} ms");
    }
}

/// <summary>
/// The Linear backward GEMMs (rows = B·N = 15 360) hot and with the caches flushed before each call: in a training step
/// their operands come from memory, which the hot numbers hide.
/// </summary>
internal static class FlushProbe
{
    private static readonly float[] Junk = new float[24 << 20];

    public static void Run(int threads)
    {
        Parallelism.Threads = threads;
        var rng = new Rng(1);
        const int Rows = 15360;
        var dy64 = Tensor.Normal(new TensorShape(Rows, 64), rng);
        var x64 = Tensor.Normal(new TensorShape(Rows, 64), rng);
        var dy256 = Tensor.Normal(new TensorShape(Rows, 256), rng);
        var w = Tensor.Normal(new TensorShape(64, 64), rng);
        var w4 = Tensor.Normal(new TensorShape(256, 64), rng);
        foreach (var flush in new[] { false, true })
        {
            Console.WriteLine(flush ? "-- caches flushed before each call" : "-- hot");
            Time("dW 64x64 (dy64ᵀ·x64)", () => Ops.MatMul(dy64, x64, transA: true), flush);
            Time("dW 256x64 (dy256ᵀ·x64)", () => Ops.MatMul(dy256, x64, transA: true), flush);
            Time("dW 64x256 (dy64ᵀ·h256)", () => Ops.MatMul(dy64, dy256, transA: true), flush);
            Time("dX 64<-64 (dy64·W)", () => Ops.MatMul(dy64, w), flush);
            Time("dX 64<-256 (dy256·W4)", () => Ops.MatMul(dy256, w4), flush);
            Time("dX 256<-64 (dy64·W4ᵀ)", () => Ops.MatMul(dy64, w4, transB: true), flush);
        }
    }

    private static void Time(string name, Func<Tensor> f, bool flush)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 15; i++)
        {
            if (flush)
            {
                Parallel.For(0, 2, t => Junk.AsSpan(t * (Junk.Length / 2), Junk.Length / 2).Fill(i));
            }

            using var scope = TensorScope.Inference();
            var sw = Stopwatch.StartNew();
            f();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{name,-34} {best,8:F3} ms");
    }
}
