using Rerank.Abstractions;
using Rerank.Engine;

namespace Rerank.Plugins.Nar4Rec.Tests.Gpu;

/// <summary>A fact that needs a CUDA GPU: skipped, with the reason, where there is none (CI has none).</summary>
internal sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!Cuda.TryInitialize(out var reason))
        {
            Skip = reason;
        }
    }
}

/// <summary>The generator and evaluator with <c>device: cuda</c> (ComponentContext.Device) against the same models on the CPU.</summary>
public sealed class GpuInferenceTests
{
    private const double Tolerance = 1e-3;

    private static ComponentContext Context(string name, string device) =>
        new("nar4rec", "1.0.0", name, Support.Data.Schema, 7) { Device = device };

    [Fact]
    public void Device_Unknown_IsRefusedNamingIt()
    {
        var context = Context("g", "tpu");
        Should.Throw<ComponentException>(() => new Nar4RecGenerator(Support.GeneratorOptions(), context)).Message.ShouldContain("'tpu'");
    }

    [GpuFact]
    public void Generator_OnCuda_ScoresMatchCpuAndWeightsMoved()
    {
        var data = Support.Data.Training(32, 5);
        var cpu = new Nar4RecGenerator(Support.GeneratorOptions(), Context("g", "cpu"));
        var gpu = new Nar4RecGenerator(Support.GeneratorOptions(), Context("g", "cuda"));
        cpu.Train(data, new TrainingContext(1));
        gpu.Train(data, new TrainingContext(1));
        var batch = Support.Batch();
        var expected = Scores(cpu, batch);
        var actual = Scores(gpu, batch);
        gpu.Model!.Device.ShouldBe(Cuda.Device);
        for (var i = 0; i < expected.Length; i++)
        {
            if (float.IsNegativeInfinity(expected[i]))
            {
                float.IsNegativeInfinity(actual[i]).ShouldBeTrue();
                continue;
            }

            actual[i].ShouldBe(expected[i], Tolerance);
        }

        var expectedSlates = cpu.Generate(batch, 2, new RerankContext(1));
        var actualSlates = gpu.Generate(batch, 2, new RerankContext(1));
        for (var b = 0; b < batch.Count; b++)
        {
            actualSlates[b].Select(s => string.Join(",", s.Indices)).ShouldBe(expectedSlates[b].Select(s => string.Join(",", s.Indices)), $"request {b}");
        }
    }

    [GpuFact]
    public void Evaluator_OnCuda_MatchesCpu()
    {
        var data = Support.Data.Training(32, 5);
        var cpu = new SequenceEvaluator(Support.EvaluatorOptions(), Context("e", "cpu"));
        var gpu = new SequenceEvaluator(Support.EvaluatorOptions(), Context("e", "cuda"));
        cpu.Train(data, new TrainingContext(1));
        gpu.Train(data, new TrainingContext(1));
        var batch = Support.Batch();
        var slates = Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<Slate>)[new Slate([0, 1, 2], 0), new Slate([2, 0], 0)]).ToList();
        var expected = cpu.Evaluate(batch, slates, new RerankContext(1));
        var actual = gpu.Evaluate(batch, slates, new RerankContext(1));
        for (var b = 0; b < expected.Length; b++)
        {
            for (var j = 0; j < expected[b].Length; j++)
            {
                actual[b][j].ShouldBe(expected[b][j], Tolerance);
            }
        }
    }

    [GpuFact]
    public void Generator_WithCudaGraphs_ScoresAndDecodesAsEager()
    {
        var data = Support.Data.Training(32, 5);
        var eager = new Nar4RecGenerator(Support.GeneratorOptions(), Context("g", "cuda"));
        var options = Support.GeneratorOptions();
        options.CudaGraphs = true;
        var graphs = new Nar4RecGenerator(options, Context("g", "cuda"));
        eager.Train(data, new TrainingContext(1));
        graphs.Train(data, new TrainingContext(1));
        foreach (var count in new[] { 5, 3, 5 }) // 5 pads to a graph of 8, 3 to one of 4; the second 5 replays the first graph
        {
            var batch = Support.Batch(count, seed: (ulong)count);
            var expected = Scores(eager, batch);
            var actual = Scores(graphs, batch);
            actual.Length.ShouldBe(expected.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                if (float.IsNegativeInfinity(expected[i]))
                {
                    float.IsNegativeInfinity(actual[i]).ShouldBeTrue();
                    continue;
                }

                actual[i].ShouldBe(expected[i], 1e-5);
            }

            var expectedSlates = eager.Generate(batch, 2, new RerankContext(1));
            var actualSlates = graphs.Generate(batch, 2, new RerankContext(1));
            for (var b = 0; b < batch.Count; b++)
            {
                actualSlates[b].Select(s => string.Join(",", s.Indices)).ShouldBe(expectedSlates[b].Select(s => string.Join(",", s.Indices)), $"request {b} of {count}");
            }
        }

        graphs.Timings.Select(t => t.Phase).ShouldContain("encoders and probability matrix (CUDA graph)");
        graphs.CudaGraph!.Fallbacks.ShouldBeEmpty();
        graphs.CudaGraph.GraphCount.ShouldBe(2);
        eager.CudaGraph.ShouldBeNull();
    }

    [GpuFact]
    public void Evaluator_WithCudaGraphs_MatchesEager()
    {
        var data = Support.Data.Training(32, 5);
        var eager = new SequenceEvaluator(Support.EvaluatorOptions(), Context("e", "cuda"));
        var options = Support.EvaluatorOptions();
        options.CudaGraphs = true;
        var graphs = new SequenceEvaluator(options, Context("e", "cuda"));
        eager.Train(data, new TrainingContext(1));
        graphs.Train(data, new TrainingContext(1));
        foreach (var count in new[] { 5, 3, 5 }) // 10 sequences pad to a graph of 16, 6 to one of 8; the second 5 replays the first
        {
            var batch = Support.Batch(count, seed: (ulong)count);
            var slates = Enumerable.Range(0, batch.Count).Select(b => (IReadOnlyList<Slate>)[new Slate([0, 1, 2], 0), new Slate([2, 0], 0)]).ToList();
            var expected = eager.Evaluate(batch, slates, new RerankContext(1));
            var actual = graphs.Evaluate(batch, slates, new RerankContext(1));
            for (var b = 0; b < expected.Length; b++)
            {
                actual[b].Length.ShouldBe(expected[b].Length);
                for (var j = 0; j < expected[b].Length; j++)
                {
                    actual[b][j].ShouldBe(expected[b][j], 1e-5);
                }
            }
        }

        graphs.CudaGraph!.Fallbacks.ShouldBeEmpty();
        graphs.CudaGraph.GraphCount.ShouldBe(2);
        eager.CudaGraph.ShouldBeNull();
    }

    private static float[] Scores(Nar4RecGenerator generator, RerankBatch batch)
    {
        using var session = generator.Begin(batch, new RerankContext(1));
        var n = batch.MaxCandidates;
        var rows = new StepRows(2, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(1, batch.Count)], new int[batch.Count * 2]);
        var scores = new float[batch.Count * n];
        session.Score(rows, scores);
        return scores;
    }
}
