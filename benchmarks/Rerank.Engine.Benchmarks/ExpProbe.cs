using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Rerank.Benchmarks;
using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine.Benchmarks;

internal static unsafe class ExpProbe
{
    public static void Run()
    {
        Console.WriteLine($"peak 1 thread {EngineBenchmark.MeasurePeakGflops(1, 1):F1} GFLOP/s, 2 threads {EngineBenchmark.MeasurePeakGflops(2, 1):F1} GFLOP/s");
        foreach (var threads in new[] { 1, 2 })
        {
            foreach (var size in new[] { 128, 256, 512, 1024 })
            {
                var rows = EngineBenchmark.Run(new EngineBenchmarkOptions(GemmSizes: [size], Threads: threads, MinSecondsPerCase: 1.5, Batch: 1, Candidates: 2, Layers: 1));
                Console.WriteLine($"threads {threads} sgemm {size}: {rows[1].Value:F1} GFLOP/s");
            }
        }

        var n = 1 << 22;
        var x = new float[n];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = -(i % 100) * 0.1f;
        }

        for (var rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            TensorPrimitives.Exp(x, y);
            var t1 = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            fixed (float* px = x, py = y)
            {
                for (var i = 0; i < n; i += 8)
                {
                    VectorMath.Exp(Vector256.Load(px + i)).Store(py + i);
                }
            }

            var t2 = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"TensorPrimitives.Exp {t1:F2} ms, VectorMath.Exp {t2:F2} ms for {n} floats");
        }
    }
}
