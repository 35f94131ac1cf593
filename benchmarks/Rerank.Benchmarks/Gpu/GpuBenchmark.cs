using System.Diagnostics;
using System.Globalization;
using Rerank.Engine;

namespace Rerank.Benchmarks;

/// <summary>
/// <c>rerank bench gpu</c>'s engine part: batched inference of the NAR4Rec generator network
/// (<see cref="Nar4RecBenchModel"/>) on the CPU backend and, where a GPU is usable, on the CUDA backend — candidate
/// features go in (uploaded per batch), the log-probability matrix is decoded greedily into slates where it was computed
/// (<see cref="Ops.GreedySlates(Tensor, Span{int})"/>: each position takes its best unpicked candidate), and only the
/// slates come back. Same weights and inputs on both. Each row's note splits a batch into its two phases (forward pass,
/// then decoding and the copy back), timed in a separate short loop with the device synchronised between them. The
/// "engine cuda graphs" row runs the device-only part of the forward (<see cref="Nar4RecBenchModel.Score"/>: both
/// encoders, scores, log-softmax) as a captured CUDA graph (<see cref="DeviceGraph"/>) replayed per batch; the
/// embedding lookups, which upload id lists, and the decoding stay eager.
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
        if (Cuda.TryInitialize(out var reason))
        {
            var name = Cuda.Describe().DeviceName ?? "cuda:0";
            rows.Add(Measure("engine cuda", name, Cuda.Device, batch, o));
            rows.Add(Measure("engine cuda graphs", name, Cuda.Device, batch, o, graphs: true));
        }
        else
        {
            rows.Add(new GpuBenchmarkRow("engine cuda", "-", false, 0, 0, 0, reason));
            rows.Add(new GpuBenchmarkRow("engine cuda graphs", "-", false, 0, 0, 0, reason));
        }

        return rows;
    }

    private static GpuBenchmarkRow Measure(string name, string device, Device target, Nar4RecBenchBatch batch, GpuBenchmarkOptions o, bool graphs = false)
    {
        var model = new Nar4RecBenchModel(new Rng(o.Seed));
        model.Eval();
        model.To(target);
        using var graph = new DeviceGraph(target, x => model.Score(x[0], x[1], x[2], x[3]), enabled: graphs);
        Tensor LogProbabilities()
        {
            var (candidates, mask, positions, selfMask) = model.Embed(batch);
            return graph.Run(candidates, mask, positions, selfMask);
        }

        var slates = new int[batch.Batch * batch.SlateSize];
        void One()
        {
            using var scope = TensorScope.Inference();
            Ops.GreedySlates(LogProbabilities(), slates);
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

        watch.Stop();
        var (forward, decode) = Phases(LogProbabilities, target, slates, Math.Clamp(iterations / 10, o.MinIterations, 200));
        var ms = watch.Elapsed.TotalMilliseconds / iterations;
        var graphNote = !graphs ? string.Empty
            : graph.GraphCount > 0 ? $"; replayed as a CUDA graph, {SameAsEager(model, batch, slates)}"
            : $"; NO graph, eager: {string.Join("; ", graph.Fallbacks)}";
        return new GpuBenchmarkRow(name, device, true, iterations, ms, batch.Batch / (ms / 1000.0), string.Create(CultureInfo.InvariantCulture, $"B = {batch.Batch}, N = {batch.Candidates}, L = {batch.SlateSize}; forward {forward:F2} ms + decode {decode:F2} ms{graphNote}"));
    }

    /// <summary>Whether the replayed slates (the last batch's) are the eager forward's, position by position.</summary>
    private static string SameAsEager(Nar4RecBenchModel model, Nar4RecBenchBatch batch, int[] replayed)
    {
        var eager = new int[replayed.Length];
        using (TensorScope.Inference())
        {
            Ops.GreedySlates(model.LogProbabilities(batch), eager);
        }

        var differ = eager.Zip(replayed).Count(p => p.First != p.Second);
        return differ == 0 ? "slates identical to eager" : $"slates DIFFER from eager at {differ} of {eager.Length} positions";
    }

    /// <summary>Mean milliseconds of the forward pass (device synchronised) and of decoding + copying the slates back.</summary>
    private static (double Forward, double Decode) Phases(Func<Tensor> logProbabilities, Device target, int[] slates, int iterations)
    {
        double forward = 0, decode = 0;
        for (var i = 0; i < iterations; i++)
        {
            using var scope = TensorScope.Inference();
            var start = Stopwatch.GetTimestamp();
            var logp = logProbabilities();
            if (target.Kind == DeviceKind.Cuda)
            {
                Cuda.Synchronize();
            }

            var middle = Stopwatch.GetTimestamp();
            Ops.GreedySlates(logp, slates);
            forward += Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds;
            decode += Stopwatch.GetElapsedTime(middle).TotalMilliseconds;
        }

        return (forward / iterations, decode / iterations);
    }
}
