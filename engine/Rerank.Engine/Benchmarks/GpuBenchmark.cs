using System.Diagnostics;

namespace Rerank.Engine.Benchmarks;

/// <summary>
/// <c>rerank bench gpu</c>'s engine part: batched inference of the NAR4Rec generator network
/// (<see cref="Nar4RecBenchModel"/>) on the CPU backend and, where a GPU is usable, on the CUDA backend — candidate
/// features go in (uploaded per batch), the log-probability matrix comes back and is decoded greedily into slates
/// (each position takes its best unpicked candidate). Same weights and inputs on both.
/// </summary>
public static class GpuBenchmark
{
    /// <summary>Runs the CPU row and, when CUDA initialises, the GPU row (else a row that says why it is missing).</summary>
    public static IReadOnlyList<GpuBenchmarkRow> Run(GpuBenchmarkOptions? options = null)
    {
        var o = options ?? new GpuBenchmarkOptions();
        if (o.Batch <= 0 || o.Candidates <= 0 || o.SlateSize <= 0 || o.SlateSize > Math.Min(o.Candidates, Nar4RecBenchModel.Positions))
        {
            throw new ArgumentException($"bench gpu needs B, N > 0 and 0 < L ≤ min(N, {Nar4RecBenchModel.Positions}); got B = {o.Batch}, N = {o.Candidates}, L = {o.SlateSize}.");
        }

        var batch = new Nar4RecBenchBatch(o.Batch, o.Candidates, o.SlateSize, o.Seed + 1);
        var rows = new List<GpuBenchmarkRow> { Measure("engine cpu", $"{Environment.ProcessorCount} cores", Device.Cpu, batch, o) };
        rows.Add(Cuda.TryInitialize(out var reason)
            ? Measure("engine cuda", Cuda.Describe().DeviceName ?? "cuda:0", Cuda.Device, batch, o)
            : new GpuBenchmarkRow("engine cuda", "-", false, 0, 0, 0, reason));
        return rows;
    }

    /// <summary>Greedy slates from log p̂ [B, L, N]: position j takes the best candidate not yet picked.</summary>
    internal static int[] Decode(float[] logp, int b, int l, int n)
    {
        var slates = new int[b * l];
        var picked = new bool[n];
        for (var r = 0; r < b; r++)
        {
            Array.Clear(picked);
            for (var j = 0; j < l; j++)
            {
                var row = logp.AsSpan(((r * l) + j) * n, n);
                var best = -1;
                for (var c = 0; c < n; c++)
                {
                    if (!picked[c] && (best < 0 || row[c] > row[best]))
                    {
                        best = c;
                    }
                }

                picked[best] = true;
                slates[(r * l) + j] = best;
            }
        }

        return slates;
    }

    private static GpuBenchmarkRow Measure(string name, string device, Device target, Nar4RecBenchBatch batch, GpuBenchmarkOptions o)
    {
        var model = new Nar4RecBenchModel(new Rng(o.Seed));
        model.Eval();
        model.To(target);
        var logp = new float[batch.Batch * batch.SlateSize * batch.Candidates];
        void One()
        {
            using var scope = TensorScope.Inference();
            model.LogProbabilities(batch).CopyTo(logp);
            _ = Decode(logp, batch.Batch, batch.SlateSize, batch.Candidates);
        }

        for (var i = 0; i < o.WarmupIterations; i++)
        {
            One();
        }

        var watch = Stopwatch.StartNew();
        var iterations = 0;
        while (iterations < o.MinIterations || watch.Elapsed.TotalSeconds < o.MinSeconds)
        {
            One();
            iterations++;
        }

        var ms = watch.Elapsed.TotalMilliseconds / iterations;
        return new GpuBenchmarkRow(name, device, true, iterations, ms, batch.Batch / (ms / 1000.0), $"B = {batch.Batch}, N = {batch.Candidates}, L = {batch.SlateSize}");
    }
}
