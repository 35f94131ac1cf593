using System.Diagnostics;
using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Engine.Benchmarks;

/// <summary>`--ops`: times each op of one encoder layer at B=256, N=60, d=64 (best of several runs) to show where time goes.</summary>
internal static class OpProfile
{
    public static void Run(int threads)
    {
        Parallelism.Threads = threads;
        var rng = new Rng(1);
        const int B = 256, N = 60, D = 64, H = 4;
        var x = Tensor.Normal(new TensorShape(B, N, D), rng);
        var w = Tensor.Normal(new TensorShape(D, D), rng);
        var w4 = Tensor.Normal(new TensorShape(4 * D, D), rng);
        var h4 = Tensor.Normal(new TensorShape(B, N, 4 * D), rng);
        var bias = Tensor.Normal(new TensorShape(D), rng);
        var g = Tensor.Full(new TensorShape(D), 1f);
        var heads = Tensor.Normal(new TensorShape(B, H, N, D / H), rng);
        var scores = Tensor.Normal(new TensorShape(B, H, N, N), rng);
        var mask = Tensor.Full(new TensorShape(B, 1, 1, N), 1f);
        var mask2 = Tensor.Full(new TensorShape(B, N), 1f);
        var layer = new TransformerEncoderLayer(D, H, 4 * D, rng);
        layer.Eval();
        var mha = new MultiHeadAttention(D, H, rng);
        mha.Eval();
        Time("linear 64→64", () => Ops.MatMul(x, w, transB: true));
        Time("linear 64→256", () => Ops.MatMul(x, w4, transB: true));
        Time("linear 256→64", () => Ops.MatMul(h4, w4));
        Time("bias add", () => Ops.Add(x, bias));
        Time("residual add", () => Ops.Add(x, x));
        Time("layernorm", () => Ops.LayerNorm(x, g, bias));
        Time("gelu [B,N,256]", () => Ops.Gelu(h4));
        Time("split heads", () => Ops.Permute(Ops.Reshape(x, new TensorShape(B, N, H, D / H)), 0, 2, 1, 3));
        Time("q·kᵀ", () => Ops.MatMul(heads, heads, transB: true));
        Time("softmax masked", () => Ops.Softmax(scores, mask));
        Time("softmax plain", () => Ops.Softmax(scores));
        Time("p·v", () => Ops.MatMul(scores, heads));
        Time("attention", () => Ops.Attention(heads, heads, heads, mask));
        Time("mha", () => mha.Forward(x, x, null));
        Time("ffn", () => layer.FeedForward.Forward(x));
        Time("norm1", () => layer.Norm1.Forward(x));
        Time("encoder layer", () => layer.Forward(x));
        var qp = Tensor.Normal(new TensorShape(B, N, D), rng);
        Time("fused heads attn", () => Ops.MultiHeadAttention(qp, qp, qp, H, mask2));

        // The GEMMs of Linear's backward at the encoder's shapes: dX = dY·W and dW = dYᵀ·X (K = B·N rows).
        Console.WriteLine("-- Linear backward GEMMs (rows = B·N = 15 360)");
        var rows = B * N;
        var x2 = Ops.Reshape(x, new TensorShape(rows, D));
        var h2 = Ops.Reshape(h4, new TensorShape(rows, 4 * D));
        var w44 = Tensor.Normal(new TensorShape(D, 4 * D), rng);
        Gemm("dX 64←64  (M=15360 N=64 K=64)", () => Ops.MatMul(x2, w), 2.0 * rows * D * D);
        Gemm("dW 64×64  (M=64 N=64 K=15360)", () => Ops.MatMul(x2, x2, transA: true), 2.0 * rows * D * D);
        Gemm("dX 64←256 (M=15360 N=64 K=256)", () => Ops.MatMul(h2, w4), 2.0 * rows * D * 4 * D);
        Gemm("dW 256×64 (M=256 N=64 K=15360)", () => Ops.MatMul(h2, x2, transA: true), 2.0 * rows * D * 4 * D);
        Gemm("dX 256←64 (M=15360 N=256 K=64)", () => Ops.MatMul(x2, w44), 2.0 * rows * D * 4 * D);
        Gemm("dW 64×256 (M=64 N=256 K=15360)", () => Ops.MatMul(x2, h2, transA: true), 2.0 * rows * D * 4 * D);

        // The steps of one encoder layer as TransformerEncoderLayer.Forward calls them, each timed alone (their sum beside
        // the whole layer says what the layer spends between them).
        Console.WriteLine("-- one encoder layer, step by step (B = 256, N = 60, d = 64, 4 heads, FFN 256), masked keys");
        var up = new Linear(D, 4 * D, rng);
        var down = new Linear(4 * D, D, rng);
        var n1 = layer.Norm1.Forward(x);
        var q = layer.Attention.Query.Forward(n1);
        var merged = Ops.MultiHeadAttention(q, q, q, H, mask2);
        var hidden = up.Forward(n1, Activation.Gelu);
        var steps = new (string Name, Func<Tensor> Run)[]
        {
            ("norm1", () => layer.Norm1.Forward(x)),
            ("q projection (+bias)", () => layer.Attention.Query.Forward(n1)),
            ("k projection (+bias)", () => layer.Attention.Key.Forward(n1)),
            ("v projection (+bias)", () => layer.Attention.Value.Forward(n1)),
            ("heads attention", () => Ops.MultiHeadAttention(q, q, q, H, mask2)),
            ("out projection (+bias)", () => layer.Attention.Output.Forward(merged)),
            ("residual 1", () => Ops.Add(x, x)),
            ("norm2", () => layer.Norm2.Forward(x)),
            ("ffn up + bias + GELU", () => up.Forward(n1, Activation.Gelu)),
            ("ffn down (+bias)", () => down.Forward(hidden)),
            ("residual 2", () => Ops.Add(x, x)),
        };
        var sum = 0.0;
        foreach (var (name, run) in steps)
        {
            sum += Time(name, run);
        }

        Console.WriteLine($"{"sum of the steps",-20} {sum,9:F3} ms");
        Time("whole layer (masked)", () => layer.Forward(x, mask2));
    }

    public static void Training(int threads)
    {
        Parallelism.Threads = threads;
        var rng = new Rng(1);
        const int B = 256, N = 60, D = 64, H = 4;
        var model = new TransformerEncoder(2, D, H, 4 * D, rng);
        var x = Tensor.Normal(new TensorShape(B, N, D), rng);
        var mask = Tensor.Full(new TensorShape(B, N), 1f);
        var byOp = new Dictionary<string, (double Ms, int Calls)>();
        var forwardByOp = new Dictionary<string, (double Ms, int Calls)>();
        var bestBackward = new Dictionary<string, (double Ms, int Calls)>();
        var bestForward = new Dictionary<string, (double Ms, int Calls)>();
        const int Steps = 12;
        for (var i = 0; i < Steps; i++)
        {
            model.ZeroGrad();
            byOp.Clear();
            Tensor.BackwardProfiler = (op, ms) => byOp[op] = byOp.TryGetValue(op, out var t) ? (t.Ms + ms, t.Calls + 1) : (ms, 1);
            forwardByOp.Clear();
            Tensor.ForwardProfiler = (op, ms) => forwardByOp[op] = forwardByOp.TryGetValue(op, out var t) ? (t.Ms + ms, t.Calls + 1) : (ms, 1);
            using var scope = TensorScope.Begin();
            var sw = Stopwatch.StartNew();
            var loss = Ops.Mean(Ops.Square(model.Forward(x, mask)));
            var fwd = sw.Elapsed.TotalMilliseconds;
            Tensor.ForwardProfiler = null;
            sw.Restart();
            loss.Backward();
            Console.WriteLine($"train forward {fwd:F1} ms, backward {sw.Elapsed.TotalMilliseconds:F1} ms");
            if (i >= 2)
            {
                KeepMinimum(bestForward, forwardByOp);
                KeepMinimum(bestBackward, byOp);
            }
        }

        Tensor.BackwardProfiler = null;
        Console.WriteLine($"-- forward by op (calls, the least ms of steps 3–{Steps}; the time since the op before was recorded)");
        Print(bestForward);
        Console.WriteLine($"-- backward by op (calls, the least ms of steps 3–{Steps})");
        Print(bestBackward);
    }

    private static void KeepMinimum(Dictionary<string, (double Ms, int Calls)> best, Dictionary<string, (double Ms, int Calls)> step)
    {
        foreach (var (op, value) in step)
        {
            best[op] = best.TryGetValue(op, out var b) && b.Ms <= value.Ms ? b : value;
        }
    }

    private static void Print(Dictionary<string, (double Ms, int Calls)> byOp)
    {
        foreach (var (op, (ms, calls)) in byOp.OrderByDescending(p => p.Value.Ms))
        {
            Console.WriteLine($"{op,-20} {calls,4} {ms,9:F1} ms");
        }

        Console.WriteLine($"{"sum",-20} {"",4} {byOp.Values.Sum(v => v.Ms),9:F1} ms");
    }

    private static void Gemm(string name, Func<Tensor> f, double flops)
    {
        var ms = Time(name, f);
        Console.WriteLine($"{"",-20} {flops / ms / 1e6,9:F1} GFLOP/s");
    }

    private static double Time(string name, Func<Tensor> f)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 25; i++)
        {
            using var scope = TensorScope.Inference();
            var sw = Stopwatch.StartNew();
            f();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{name,-20} {best,9:F3} ms");
        return best;
    }
}
