using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Metrics;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation;

namespace Rerank.Benchmarks;

/// <summary>Settings of <c>rerank bench pipeline</c>.</summary>
/// <param name="Candidates">N, candidates per simulated request.</param>
/// <param name="SlateSize">L, the slate size.</param>
/// <param name="BatchSize">Requests per batch (the test split's size).</param>
/// <param name="Iterations">Timed batches.</param>
/// <param name="Warmup">Untimed batches first.</param>
/// <param name="TrainLists">Logged lists to train trainable components on.</param>
/// <param name="Seed">Seed of the data and the components.</param>
public sealed record PipelineBenchmarkOptions(int Candidates, int SlateSize, int BatchSize, int Iterations, int Warmup, int TrainLists, ulong Seed);

/// <summary>One measured quantity of a pipeline benchmark.</summary>
/// <param name="What">What was timed.</param>
/// <param name="PerBatchMs">Median milliseconds per batch (or per call for training phases).</param>
/// <param name="PerRequestMs">That divided by the batch size, where it applies.</param>
/// <param name="Calls">How many calls were timed.</param>
public sealed record BenchmarkLine(string What, double PerBatchMs, double? PerRequestMs, long Calls);

/// <summary>
/// Times a pipeline on simulator requests of a chosen shape: trains (or loads) its trainable components, warms up, then
/// runs <see cref="PipelineBenchmarkOptions.Iterations"/> batches and reports the median batch time, each stage's share,
/// and the phases of components that report them (<see cref="ITimedComponent"/>, e.g. candidate encoding vs decoding).
/// </summary>
public static class PipelineBenchmark
{
    /// <summary>Trains (or loads) the trainable components of <paramref name="pipelineFile"/>, then times its batches; one line per measured quantity.</summary>
    public static IReadOnlyList<BenchmarkLine> Run(string pipelineFile, PluginCatalog catalog, PipelineBenchmarkOptions options, IRunReporter reporter)
    {
        var errors = new List<ConfigError>();
        var spec = PipelineParser.ParseFile(pipelineFile, errors);
        if (spec is null || errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var simulator = new SimulatorOptions
        {
            Candidates = options.Candidates,
            SlateSize = options.SlateSize,
            TrainRequests = Math.Max(options.TrainLists, 1),
            ValidationRequests = Math.Max(options.TrainLists / 10, 1),
            TestRequests = options.BatchSize,
        };
        var problems = simulator.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ConfigException(new SourceLocation("bench options", 0, 0), string.Join("; ", problems));
        }

        var data = reporter.Track("dataset", 1, p => Simulator.Generate(simulator, options.Seed, p));
        var factory = new ComponentFactory(catalog, data.Schema, options.Seed);
        var pipeline = PipelineCompiler.CompileAll([spec], factory)[0];
        var timed = factory.Built.Select(c => c.Instance).OfType<ITimedComponent>().Distinct().ToList();
        timed.ForEach(t => t.ResetTimings());
        ComponentTrainer.Prepare(factory.Built, data.ToTrainingData(), Path.Combine(Path.GetTempPath(), "rerank-bench-checkpoints"), reporter, CancellationToken.None);
        var lines = new List<BenchmarkLine>();
        foreach (var t in timed)
        {
            lines.AddRange(t.Timings.Where(p => p.Phase.StartsWith("train", StringComparison.Ordinal))
                .Select(p => new BenchmarkLine($"{Name(t)}: {p.Phase} (mean per call)", p.Milliseconds / Math.Max(1, p.Calls), null, p.Calls)));
        }

        var batch = RerankBatch.Create(data.Schema, data.Test);
        var context = new RerankContext(options.Seed);
        for (var i = 0; i < options.Warmup; i++)
        {
            pipeline.Run(batch, context);
        }

        timed.ForEach(t => t.ResetTimings());
        var times = new double[options.Iterations];
        var stages = new double[pipeline.Stages.Length][];
        for (var s = 0; s < stages.Length; s++)
        {
            stages[s] = new double[options.Iterations];
        }

        reporter.Track($"bench {spec.Name}", options.Iterations, progress =>
        {
            for (var i = 0; i < options.Iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var run = pipeline.Run(batch, context);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                for (var s = 0; s < stages.Length; s++)
                {
                    stages[s][i] = run.StageTimes[s].TotalMilliseconds;
                }

                progress.Report(i + 1);
            }

            return 0;
        });

        var median = Latency.Percentile(times, 50);
        var b = options.BatchSize;
        var inference = new List<BenchmarkLine> { new($"pipeline {spec.Name} (B = {b}, N = {options.Candidates}, L = {options.SlateSize})", median, median / b, options.Iterations) };
        for (var s = 0; s < stages.Length; s++)
        {
            var stageMedian = Latency.Percentile(stages[s], 50);
            inference.Add(new BenchmarkLine($"  stage {s + 1}: {pipeline.Stages[s].Describe()}", stageMedian, stageMedian / b, options.Iterations));
        }

        foreach (var t in timed)
        {
            inference.AddRange(t.Timings.Where(p => !p.Phase.StartsWith("train", StringComparison.Ordinal))
                .Select(p => new BenchmarkLine($"  {Name(t)}: {p.Phase} (mean per batch, not median)", p.Milliseconds / options.Iterations, p.Milliseconds / options.Iterations / b, p.Calls)));
        }

        return [.. inference, .. lines];
    }

    private static string Name(ITimedComponent component) => component is IComponent c ? c.Name : component.GetType().Name;
}
