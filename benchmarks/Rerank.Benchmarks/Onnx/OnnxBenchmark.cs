using System.Diagnostics;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Onnx;
using Rerank.Evaluation.Experiments;
using Rerank.Evaluation.Metrics;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation;

namespace Rerank.Benchmarks;

/// <summary>Settings of <c>rerank bench onnx</c>.</summary>
/// <param name="Component">The engine scorer to export and compare (a reference such as <c>nar4rec@^1.0/generator</c>).</param>
/// <param name="ParamsYaml">Its params, as YAML (empty: its defaults).</param>
/// <param name="BatchSizes">The batch sizes B to time.</param>
/// <param name="Candidates">N, candidates per simulated request.</param>
/// <param name="SlateSize">L, the slate size (the positions a per-position model fills).</param>
/// <param name="Iterations">Timed batches per runtime and batch size.</param>
/// <param name="Warmup">Untimed batches first, per runtime and batch size.</param>
/// <param name="TrainLists">Logged lists the component is trained on before export (speed does not depend on the weights).</param>
/// <param name="Threads">CPU threads for both runtimes: the engine's kernels and ONNX Runtime's intra-op pool.</param>
/// <param name="Cuda">Also time both runtimes on CUDA (the engine's CUDA backend and ONNX Runtime's CUDA provider).</param>
/// <param name="Seed">Seed of the data and the component.</param>
public sealed record OnnxBenchmarkOptions(
    string Component, string ParamsYaml, IReadOnlyList<int> BatchSizes, int Candidates, int SlateSize, int Iterations, int Warmup, int TrainLists, int Threads, bool Cuda, ulong Seed);

/// <summary>One batch size's timings: each runtime's median and 90th percentile per batch, and the largest output difference to the engine on the CPU.</summary>
/// <param name="BatchSize">B.</param>
/// <param name="Runtime">Which runtime: <c>engine (cpu)</c>, <c>onnx runtime (cpu)</c>, <c>engine (cuda)</c>, <c>onnx runtime (cuda)</c>.</param>
/// <param name="MedianMs">Median milliseconds per batch.</param>
/// <param name="P90Ms">90th percentile milliseconds per batch.</param>
/// <param name="MaxAbsDifference">Largest |output − engine CPU output| over real candidates and positions (0 for the engine on the CPU).</param>
/// <param name="Phases">The component's own phases (<see cref="ITimedComponent"/>), mean milliseconds per batch; empty when it reports none.</param>
public sealed record OnnxBenchmarkRow(int BatchSize, string Runtime, double MedianMs, double P90Ms, double MaxAbsDifference, IReadOnlyList<(string Phase, double Ms)> Phases);

/// <summary>What <c>rerank bench onnx</c> measured: the rows, the model and the ONNX file's size.</summary>
/// <param name="Rows">Per batch size and runtime.</param>
/// <param name="Reference">The exported component (plugin@version/name).</param>
/// <param name="ModelBytes">The ONNX file's size.</param>
/// <param name="OutputKind">What the scorer's output means (item_scores or position_log_probs).</param>
public sealed record OnnxBenchmarkResult(IReadOnlyList<OnnxBenchmarkRow> Rows, string Reference, long ModelBytes, string OutputKind);

/// <summary>
/// The same trained scorer on our engine and on ONNX Runtime, side by side in one process: the component is built from the
/// loaded plugins, trained on simulator lists, exported with <see cref="IOnnxExportable"/>, and served again by
/// <c>onnx@^1.0/scorer</c> through the same plugin catalog. For each batch size both runtimes score the same batch — one
/// <see cref="IStepSession"/> per batch, i.e. the whole forward pass — in alternating iterations, so that a noisy machine
/// slows both alike; each runtime's outputs are compared with the engine's on the CPU.
/// </summary>
public static class OnnxBenchmark
{
    /// <summary>Trains, exports and times; one row per batch size and runtime.</summary>
    public static OnnxBenchmarkResult Run(PluginCatalog catalog, OnnxBenchmarkOptions options, IRunReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSizes.Count == 0 || options.BatchSizes.Any(b => b < 1))
        {
            throw new ArgumentException("batch sizes must be at least 1", nameof(options));
        }

        var simulator = new SimulatorOptions
        {
            Candidates = options.Candidates,
            SlateSize = options.SlateSize,
            TrainRequests = Math.Max(options.TrainLists, 1),
            ValidationRequests = Math.Max(options.TrainLists / 10, 1),
            TestRequests = options.BatchSizes.Max(),
        };
        var problems = simulator.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ConfigException(new SourceLocation("bench options", 0, 0), string.Join("; ", problems));
        }

        var data = reporter.Track("dataset", 1, p => Simulator.Generate(simulator, options.Seed, p));
        var factory = new ComponentFactory(catalog, data.Schema, options.Seed);
        var folder = Directory.CreateTempSubdirectory("rerank-bench-onnx-").FullName;
        var saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = options.Threads;
            var engine = Build(factory, options.Component, options.ParamsYaml, null, "cpu");
            if (engine.Instance is not IOnnxExportable { CanExportOnnx: true } exportable)
            {
                throw new ComponentException($"'{options.Component}' ({engine.Registration.Reference}) has no ONNX export; rerank export onnx lists the components that have one");
            }

            ComponentTrainer.Prepare([engine], data.ToTrainingData(), folder, reporter, CancellationToken.None);
            var export = exportable.ExportOnnx(new OnnxExportSettings("scorer"));
            var model = Path.Combine(folder, "model.onnx");
            export.Save(model);

            IStepScorer Onnx(string provider)
            {
                var built = Build(factory, "onnx@^1.0/scorer", OnnxParams(export, options.Threads, provider), model, "cpu");
                ((ITrainable)built.Instance).Load(model);
                return (IStepScorer)built.Instance;
            }

            var runtimes = new List<(string Name, IStepScorer Scorer)> { ("engine (cpu)", (IStepScorer)engine.Instance), ("onnx runtime (cpu)", Onnx("cpu")) };
            if (options.Cuda)
            {
                if (!Cuda.TryInitialize(out var reason))
                {
                    throw new ComponentException($"--cuda: no usable GPU here ({reason}); run without --cuda, or on a machine with an NVIDIA GPU and CUDA 13");
                }

                // The engine's trained weights on its CUDA backend (the component's device), and ONNX Runtime's CUDA provider on the same file.
                var onGpu = Build(factory, options.Component, options.ParamsYaml, Path.Combine(folder, engine.CheckpointFileName), "cuda");
                ((ITrainable)onGpu.Instance).Load(onGpu.Spec.Checkpoint!);
                runtimes.Add(("engine (cuda)", (IStepScorer)onGpu.Instance));
                runtimes.Add(("onnx runtime (cuda)", Onnx("cuda")));
            }

            var rows = new List<OnnxBenchmarkRow>();
            foreach (var b in options.BatchSizes)
            {
                var batch = RerankBatch.Create(data.Schema, [.. data.Test.Take(b)]);
                rows.AddRange(Time(runtimes, batch, options, reporter));
            }

            return new OnnxBenchmarkResult(rows, engine.Registration.Reference, new FileInfo(model).Length, export.OutputKind);
        }
        finally
        {
            Parallelism.Threads = saved;
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The params of <c>onnx@^1.0/scorer</c> serving <paramref name="export"/>.</summary>
    private static string OnnxParams(OnnxExport export, int threads, string provider) =>
        export.ParamsYaml() + $"execution_provider: {provider}\n"
        + string.Create(CultureInfo.InvariantCulture, $"intra_op_threads: {threads}\ninter_op_threads: 1\n");

    private static BuiltComponent Build(ComponentFactory factory, string reference, string paramsYaml, string? checkpoint, string device)
    {
        var errors = new List<ConfigError>();
        var parameters = string.IsNullOrWhiteSpace(paramsYaml) ? null : YamlParams.Parse(paramsYaml, "--params");
        var built = factory.Build(ComponentKind.Scorer, new ComponentSpec(reference, parameters, checkpoint, new SourceLocation("bench onnx", 0, 0), device), errors);
        return built is null || errors.Count > 0 ? throw new ConfigException(errors) : built;
    }

    private static IEnumerable<OnnxBenchmarkRow> Time(List<(string Name, IStepScorer Scorer)> runtimes, RerankBatch batch, OnnxBenchmarkOptions options, IRunReporter reporter)
    {
        var context = new RerankContext(options.Seed);
        var reference = Outputs(runtimes[0].Scorer, batch, context);
        var differences = runtimes.Select(r => r.Scorer == runtimes[0].Scorer ? 0.0 : MaxDifference(reference, Outputs(r.Scorer, batch, context), batch)).ToArray();
        var times = runtimes.Select(_ => new double[options.Iterations]).ToArray();
        for (var i = 0; i < options.Warmup; i++)
        {
            foreach (var (_, scorer) in runtimes)
            {
                scorer.Begin(batch, context).Dispose();
            }
        }

        foreach (var (_, scorer) in runtimes)
        {
            (scorer as ITimedComponent)?.ResetTimings();
        }

        reporter.Track($"B = {batch.Count}", options.Iterations, progress =>
        {
            for (var i = 0; i < options.Iterations; i++)
            {
                // Alternate the runtimes, and their order, so that a noisy machine slows each alike.
                for (var k = 0; k < runtimes.Count; k++)
                {
                    var r = (i + k) % runtimes.Count;
                    var started = Stopwatch.GetTimestamp();
                    runtimes[r].Scorer.Begin(batch, context).Dispose();
                    times[r][i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                progress.Report(i + 1);
            }

            return 0;
        });

        return runtimes.Select((r, k) => new OnnxBenchmarkRow(
            batch.Count, Ran(r.Name, r.Scorer), Latency.Percentile(times[k], 50), Latency.Percentile(times[k], 90), differences[k],
            r.Scorer is ITimedComponent timed ? [.. timed.Timings.Select(p => (p.Phase, p.Milliseconds / options.Iterations))] : []));
    }

    /// <summary>The row's name, saying so when ONNX Runtime was asked for CUDA but ran on the CPU (its provider is missing here).</summary>
    private static string Ran(string name, IStepScorer scorer) =>
        name.EndsWith("(cuda)", StringComparison.Ordinal) && scorer is ITimedComponent timed && timed.Timings.Any(p => p.Phase == "onnx runtime (cpu)")
            ? name.Replace("(cuda)", "(cuda requested, ran on the cpu)", StringComparison.Ordinal)
            : name;

    /// <summary>Every position's scores, <c>[L][B·N]</c> (one position for item scores: every step reads the same).</summary>
    private static float[][] Outputs(IStepScorer scorer, RerankBatch batch, RerankContext context)
    {
        var positions = scorer.Kind == StepScoreKind.ItemScore ? 1 : Math.Max(1, batch.SlateSizes.Max());
        var rows = Enumerable.Range(0, batch.Count).ToArray();
        using var session = scorer.Begin(batch, context);
        var result = new float[positions][];
        for (var t = 0; t < positions; t++)
        {
            result[t] = new float[batch.Count * batch.MaxCandidates];
            session.Score(new StepRows(t, rows, rows, [.. rows.SelectMany(_ => Enumerable.Range(0, t))]), result[t]);
        }

        return result;
    }

    private static double MaxDifference(float[][] a, float[][] b, RerankBatch batch)
    {
        var worst = 0.0;
        for (var t = 0; t < a.Length; t++)
        {
            for (var r = 0; r < batch.Count; r++)
            {
                for (var i = 0; i < batch.CandidateCounts[r]; i++)
                {
                    var k = (r * batch.MaxCandidates) + i;
                    worst = Math.Max(worst, Math.Abs(a[t][k] - b[t][k]));
                }
            }
        }

        return worst;
    }
}
