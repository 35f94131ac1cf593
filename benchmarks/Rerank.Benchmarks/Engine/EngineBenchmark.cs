using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Optim;

namespace Rerank.Benchmarks;

/// <summary>
/// The measurements behind <c>rerank bench engine</c>: peak FMA rate, SGEMM, attention, a 2-layer encoder's
/// inference (time and managed bytes per call) and one training step. Quick wall-clock timing (best of
/// repeated runs); the BenchmarkDotNet project under tests/ gives rigorous statistics for the same cases.
/// </summary>
public static partial class EngineBenchmark
{
    /// <summary>Runs every case and returns one row each.</summary>
    public static IReadOnlyList<BenchmarkRow> Run(EngineBenchmarkOptions? options = null)
    {
        var o = options ?? new EngineBenchmarkOptions();
        var saved = Parallelism.Threads;
        var threads = o.Threads ?? Environment.ProcessorCount;
        Parallelism.Threads = threads;
        try
        {
            var rows = new List<BenchmarkRow>();
            var peak = MeasurePeakGflops(threads, 0.5);
            rows.Add(new("peak fp32 FMA (measured)", peak, "GFLOP/s", string.Empty, null, $"{threads} thread(s) × Vector256 FMA, 10 independent accumulators"));
            foreach (var n in o.EffectiveGemmSizes)
            {
                var g = SgemmGflops(n, o.MinSecondsPerCase);
                var is512 = n == 512;
                rows.Add(new(
                    $"sgemm {n}³",
                    g,
                    "GFLOP/s",
                    is512 ? "≥ 60% of peak" : string.Empty,
                    is512 ? g >= 0.6 * peak : null,
                    $"{100 * g / peak:F0}% of measured peak"));
            }

            rows.AddRange(Attention(o));
            rows.AddRange(Encoder(o, peak));
            return rows;
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    /// <summary>Formats rows as a fixed-width text table.</summary>
    public static string Format(IReadOnlyList<BenchmarkRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        var w = Math.Max(4, rows.Max(r => r.Case.Length));
        sb.Append(CultureInfo.InvariantCulture, $"{"case".PadRight(w)}  {"value",12}  {"unit",-10}  {"target",-16}  {"met",-4}  note\n");
        foreach (var r in rows)
        {
            var met = r.Met is null ? string.Empty : r.Met.Value ? "yes" : "NO";
            sb.Append(CultureInfo.InvariantCulture, $"{r.Case.PadRight(w)}  {r.Value,12:F3}  {r.Unit,-10}  {r.Target,-16}  {met,-4}  {r.Note}\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The float32 FMA rate of <paramref name="threads"/> cores: each of <paramref name="threads"/> threads spins on
    /// 10 independent Vector256 FMA chains (enough to hide FMA latency on two pipes; 16 FLOP per FMA) in short
    /// windows, and its best window counts. On a shared machine the best window is the closest to an unloaded
    /// core, so the result approximates cores × FMA pipes × 8 lanes × 2 FLOP × clock.
    /// </summary>
    public static double MeasurePeakGflops(int threads, double seconds)
    {
        if (!Fma.IsSupported)
        {
            return 0;
        }

        var best = new double[threads];
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var slot = t;
            workers[t] = new Thread(() =>
            {
                const long Iterations = 200_000;
                FmaLoop(Iterations);
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < seconds)
                {
                    var sw = Stopwatch.StartNew();
                    FmaLoop(Iterations);
                    best[slot] = Math.Max(best[slot], Iterations * 10.0 * 16 / sw.Elapsed.TotalSeconds);
                }
            });
        }

        foreach (var w in workers)
        {
            w.Start();
        }

        foreach (var w in workers)
        {
            w.Join();
        }

        return best.Sum() / 1e9;
    }

    private static float FmaLoop(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, m, a);
            c1 = Fma.MultiplyAdd(c1, m, a);
            c2 = Fma.MultiplyAdd(c2, m, a);
            c3 = Fma.MultiplyAdd(c3, m, a);
            c4 = Fma.MultiplyAdd(c4, m, a);
            c5 = Fma.MultiplyAdd(c5, m, a);
            c6 = Fma.MultiplyAdd(c6, m, a);
            c7 = Fma.MultiplyAdd(c7, m, a);
            c8 = Fma.MultiplyAdd(c8, m, a);
            c9 = Fma.MultiplyAdd(c9, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }

    /// <summary>Best-of timing: repeats <paramref name="action"/> for at least <paramref name="seconds"/> and returns the fastest run in seconds.</summary>
    internal static double Best(Action action, double seconds, int warmup = 2)
    {
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var best = double.MaxValue;
        var total = Stopwatch.StartNew();
        var runs = 0;
        while (total.Elapsed.TotalSeconds < seconds || runs < 3)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            runs++;
        }

        return best;
    }

    private static double SgemmGflops(int n, double seconds)
    {
        var rng = new Rng(1);
        var a = Tensor.Uniform(new TensorShape(n, n), rng, -1f, 1f);
        var b = Tensor.Uniform(new TensorShape(n, n), rng, -1f, 1f);
        var t = Best(
            () =>
            {
                using var scope = TensorScope.Inference();
                Ops.MatMul(a, b);
            },
            seconds);
        return 2.0 * n * n * n / t / 1e9;
    }

    private static IEnumerable<BenchmarkRow> Attention(EngineBenchmarkOptions o)
    {
        var rng = new Rng(o.Seed);
        var dh = o.Dimension / o.Heads;
        var shape = new TensorShape(o.Batch, o.Heads, o.Candidates, dh);
        var q = Tensor.Normal(shape, rng);
        var k = Tensor.Normal(shape, rng);
        var v = Tensor.Normal(shape, rng);
        var mask = Tensor.Full(new TensorShape(o.Batch, 1, 1, o.Candidates), 1f);
        var t = Best(
            () =>
            {
                using var scope = TensorScope.Inference();
                Ops.Attention(q, k, v, mask);
            },
            o.MinSecondsPerCase);
        yield return new(
            $"attention fwd B={o.Batch} N={o.Candidates} d={o.Dimension} h={o.Heads}",
            t * 1e3,
            "ms/batch",
            string.Empty,
            null,
            $"{t * 1e6 / o.Batch:F2} µs/request");
    }

    /// <summary>
    /// Multiply-add FLOPs of one request through the encoder and its scoring head: per layer and item, the four d×d
    /// projections, the two FFN GEMMs and the two attention products (Q·Kᵀ, P·V); norms, softmax and activations not counted.
    /// </summary>
    public static double EncoderFlopsPerRequest(EngineBenchmarkOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        double n = o.Candidates, d = o.Dimension, ff = o.FeedForward;
        return (o.Layers * n * ((8 * d * d) + (4 * d * ff) + (4 * n * d))) + (2 * n * d);
    }

    private static IEnumerable<BenchmarkRow> Encoder(EngineBenchmarkOptions o, double peak)
    {
        var rng = new Rng(o.Seed);
        var model = new TransformerEncoder(o.Layers, o.Dimension, o.Heads, o.FeedForward, rng);
        var head = new Linear(o.Dimension, 1, rng);
        model.Eval();
        var x = Tensor.Normal(new TensorShape(o.Batch, o.Candidates, o.Dimension), rng);
        var mask = Tensor.Full(new TensorShape(o.Batch, o.Candidates), 1f);
        var scores = new float[o.Batch * o.Candidates];
        void Infer()
        {
            using var scope = TensorScope.Inference();
            head.Forward(model.Forward(x, mask)).CopyTo(scores);
        }

        var flops = EncoderFlopsPerRequest(o) * o.Batch;
        string OfPeak(double seconds, double work) =>
            peak > 0 ? $"{work / seconds / 1e9:F0} GFLOP/s = {100 * work / seconds / 1e9 / peak:F0}% of measured peak" : "peak not measured (no FMA)";
        bool? AtLeast(double seconds, double work, double fraction) => peak > 0 ? work / seconds / 1e9 >= fraction * peak : null;

        var t = Best(Infer, o.MinSecondsPerCase);
        var perRequestMs = t * 1e3 / o.Batch;
        var name = $"encoder {o.Layers}×d{o.Dimension} inference B={o.Batch} N={o.Candidates}";
        yield return new(name, t * 1e3, "ms/batch", "≥ 40% of peak", AtLeast(t, flops, 0.4), $"{perRequestMs:F3} ms/request; {OfPeak(t, flops)}");

        var x1 = Tensor.Normal(new TensorShape(1, o.Candidates, o.Dimension), rng);
        var mask1 = Tensor.Full(new TensorShape(1, o.Candidates), 1f);
        var one = new float[o.Candidates];
        var t1 = Best(
            () =>
            {
                using var scope = TensorScope.Inference();
                head.Forward(model.Forward(x1, mask1)).CopyTo(one);
            },
            o.MinSecondsPerCase / 2);
        yield return new($"encoder {o.Layers}×d{o.Dimension} inference B=1 N={o.Candidates}", t1 * 1e3, "ms/request", "≤ 0.15 ms", t1 * 1e3 <= 0.15, OfPeak(t1, flops / o.Batch));

        Infer();
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int Calls = 10;
        for (var i = 0; i < Calls; i++)
        {
            Infer();
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;
        yield return new("encoder inference managed allocation", bytes, "bytes/call", "0", bytes == 0, "GC.GetAllocatedBytesForCurrentThread, steady state");

        model.Train();
        var opt = new Adam([.. model.Parameters(), .. head.Parameters()]);
        var target = Tensor.Uniform(new TensorShape(o.Batch, o.Candidates, 1), rng, 0f, 1f);
        var step = Best(
            () =>
            {
                opt.ZeroGrad();
                using (TensorScope.Begin())
                {
                    Ops.BinaryCrossEntropyWithLogits(head.Forward(model.Forward(x, mask)), target).Backward();
                }

                opt.Step();
            },
            o.MinSecondsPerCase,
            warmup: 1);

        // forward + backward = 3× the forward's multiply-adds (the backward computes both dX and dW)
        yield return new(
            $"encoder {o.Layers}×d{o.Dimension} train step (fwd+bwd+Adam) B={o.Batch}",
            step * 1e3,
            "ms/step",
            "≥ 30% of peak",
            AtLeast(step, 3 * flops, 0.3),
            $"{step * 1e3 / o.Batch:F3} ms/request; {OfPeak(step, 3 * flops)} (3× the forward's FLOPs)");
        var ratio = step / t;
        yield return new("train step / inference batch", ratio, "×", "≤ 4", ratio <= 4, "ideal ≈ 3 (backward ≈ 2× forward)");
    }
}
