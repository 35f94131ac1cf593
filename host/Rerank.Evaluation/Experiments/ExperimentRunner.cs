using Rerank.Abstractions;
using Rerank.Evaluation.OffPolicy;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation.Datasets;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Runs an experiment end to end: builds or reads the dataset, compiles every pipeline against the loaded plugins (every
/// grid point of a tuned one), trains (or loads) what needs training, picks each tuned pipeline's grid point on the
/// validation requests, runs each pipeline over the test requests and scores the slates.
/// A pipeline that throws, or uses a component whose loading or training failed, becomes a failed row (with the error)
/// and the others still run; cancellation stops the run.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly PluginCatalog _catalog;
    private readonly IRunReporter _reporter;

    /// <summary>A runner building components from <paramref name="catalog"/> and reporting progress to <paramref name="reporter"/>.</summary>
    public ExperimentRunner(PluginCatalog catalog, IRunReporter reporter)
    {
        _catalog = catalog;
        _reporter = reporter;
    }

    /// <summary>
    /// Runs <paramref name="spec"/> once per seed of <see cref="ExperimentSpec.RunSeeds"/> (data, training and evaluation
    /// each time) and combines the runs (<see cref="SeedAggregate"/>); checkpoints of trained components go under
    /// <paramref name="outputDirectory"/> (the first seed's in <c>checkpoints/</c> and at their <c>checkpoint:</c> paths, each
    /// further seed's in <c>checkpoints/seed-S/</c> and with <c>seed-S/</c> before the file name of those paths); with
    /// <see cref="ExperimentSpec.CheckpointVariant"/>, every checkpoint path, <c>checkpoint:</c> ones included, gains that folder.
    /// </summary>
    /// <exception cref="ConfigException">The dataset block or a pipeline cannot be resolved (every error listed).</exception>
    /// <exception cref="ExperimentFailedException">A judge of <c>evaluation.judges</c> could not be trained (every row needs it).</exception>
    public ExperimentResult Run(ExperimentSpec spec, string outputDirectory, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var seeds = spec.RunSeeds;
        var runs = new List<SeedRun>(seeds.Count);
        for (var i = 0; i < seeds.Count; i++)
        {
            if (seeds.Count > 1)
            {
                _reporter.Info($"seed {seeds[i]} ({i + 1} of {seeds.Count})");
            }

            // The first seed's checkpoints keep their paths (a served pipeline naming a checkpoint finds the model of the
            // experiment's first seed, as with one seed); every further seed S trains into seed-S/.
            var seedFolder = i > 0 ? $"seed-{seeds[i]}" : null;

            var folder = spec.CheckpointVariant is { } variant ? (seedFolder is null ? variant : Path.Combine(variant, seedFolder)) : seedFolder;

            var checkpoints = folder is null ? Path.Combine(outputDirectory, "checkpoints") : Path.Combine(outputDirectory, "checkpoints", folder);
            runs.Add(RunSeed(spec with { Seed = seeds[i] }, checkpoints, folder, cancellation));
        }

        return SeedAggregate.Combine(runs, spec.Evaluation, spec.Seed);
    }

    /// <summary>One run under <paramref name="spec"/>'s seed; per-request values are kept when <c>compare_to</c> needs them.</summary>
    private SeedRun RunSeed(ExperimentSpec spec, string checkpointDirectory, string? seedFolder, CancellationToken cancellation)
    {
        var errors = new List<ConfigError>();
        var dataset = DatasetTypes.Bind(spec.Dataset, errors) ?? throw new ConfigException(errors);
        var data = _reporter.Track($"dataset ({spec.Dataset.Type})", 1, p => dataset.Type.Load(dataset.Options, spec.Dataset.Path, spec.Seed, p));
        CheckRequests(data);
        var offPolicy = spec.Evaluation.OffPolicy is { } ope ? _reporter.Track("off-policy log", 1, _ => OffPolicyEvaluation.Prepare(ope, data, spec.Seed)) : null;

        var factory = new ComponentFactory(_catalog, data.Schema, spec.Seed);
        var pipelines = PipelineTuner.CompileAll(spec, factory);
        var evaluators = BuildEvaluators(spec, factory);
        var failures = new Dictionary<BuiltComponent, string>(ReferenceEqualityComparer.Instance);
        var curves = ComponentTrainer.Prepare(factory.Built, data.Training, checkpointDirectory, _reporter, cancellation, failures, seedFolder);
        foreach (var (name, evaluator) in evaluators.Where(e => spec.Evaluation.Judges.Contains(e.Name) && failures.ContainsKey(e.Component)))
        {
            throw new ExperimentFailedException($"judge '{name}' failed, and every pipeline is measured under it: {failures[evaluator]}");
        }

        if (offPolicy is not null && RewardModel(spec.Evaluation.OffPolicy!, evaluators, failures, data, spec, cancellation) is { } rewardModel)
        {
            _reporter.Track("off-policy reward model on the logged slates", 1, _ =>
            {
                offPolicy.UseRewardModel(rewardModel);
                return rewardModel;
            });
        }

        var reference = _reporter.Track("reference lists (HR@K%, exhaustive optimum)", data.Test.Count, p =>
            QualityReference.Build(data.Test, spec.Evaluation, spec.Seed, cancellation, p));
        var judges = _reporter.Track("judge reference lists", 1, _ =>
            JudgeReference.Build([.. evaluators.Select(e => (e.Name, (IEvaluator)e.Component.Instance))], data.Schema, data.Test, spec.Evaluation, spec.Seed, cancellation));
        var rows = new List<ResultRow>();
        var graphs = new Dictionary<string, string>(StringComparer.Ordinal);
        var latencies = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var shares = new Dictionary<string, IReadOnlyList<KeyValuePair<string, double>>>(StringComparer.Ordinal);
        var perRequest = new Dictionary<string, IReadOnlyDictionary<string, double[]>>(StringComparer.Ordinal);
        foreach (var variants in pipelines)
        {
            var pipeline = variants.Variants[0];
            graphs[pipeline.Name] = pipeline.Describe();
            if (variants.Variants.SelectMany(v => v.Components).FirstOrDefault(failures.ContainsKey) is { } broken)
            {
                rows.Add(Failed(pipeline.Name, failures[broken]));
                continue;
            }

            var context = new RerankContext(StableHash.Mix(spec.Seed, StableHash.Of(pipeline.Name)), cancellation);
            TuningOutcome? tuned = null;
            try
            {
                if (variants.Tune is { } tune)
                {
                    var validation = data.Training.Validation.Select(l => l.Request).ToList();
                    var (best, scores) = _reporter.Track($"tune {pipeline.Name} ({variants.Variants.Count} points)", variants.Variants.Count * Math.Max(validation.Count, 1), p =>
                        PipelineTuner.Search(variants, data.Schema, validation, spec.Evaluation.BatchSize, context, p));
                    pipeline = variants.Variants[best];
                    graphs[pipeline.Name] = pipeline.Describe();
                    tuned = new TuningOutcome(tune.Metric, variants.Variants.Count, [PipelineTuner.Choice(tune, variants.Points[best], scores[best], validation.Count, spec.Seed)]);
                }

                var measured = _reporter.Track($"evaluate {pipeline.Name}", PipelineRunner.ProgressUnits(data.Test.Count, spec.Evaluation), p =>
                    PipelineRunner.Measure(pipeline, data.Schema, data.Test, spec.Evaluation, context, p));
                var values = spec.Evaluation.CompareTo.Length == 0 ? null : new Dictionary<string, double[]>(StringComparer.Ordinal);
                var estimates = offPolicy is null ? null : _reporter.Track($"off-policy estimates {pipeline.Name}", 1, _ => offPolicy.Estimate(pipeline.Name, measured.Slates));
                rows.Add(new ResultRow(pipeline.Name, [.. reference.Score(data, measured, spec.Evaluation, values), .. judges.Score(data.Schema, data.Test, measured.Slates)], Tuned: tuned, OffPolicy: estimates));
                if (values is not null)
                {
                    perRequest[pipeline.Name] = values;
                }

                latencies[pipeline.Name] = measured.LatenciesMs;
                shares[pipeline.Name] = measured.StageShares;
            }
            catch (Exception e) when (RunFailure.IsFailure(e, cancellation))
            {
                rows.Add(Failed(pipeline.Name, RunFailure.Describe(e)));
            }
        }

        foreach (var (name, evaluator) in evaluators)
        {
            if (failures.TryGetValue(evaluator, out var failure))
            {
                rows.Add(Failed("evaluator: " + name, failure));
                continue;
            }

            var context = new RerankContext(StableHash.Mix(spec.Seed, StableHash.Of("evaluator:" + name)), cancellation);
            try
            {
                var quality = _reporter.Track($"evaluator quality {name}", 1, _ =>
                    EvaluatorQuality.Measure((IEvaluator)evaluator.Instance, data.Schema, data.Training.Validation, spec.Evaluation.BatchSize, context));
                rows.Add(new ResultRow("evaluator: " + name, quality));
            }
            catch (Exception e) when (RunFailure.IsFailure(e, cancellation))
            {
                rows.Add(Failed("evaluator: " + name, RunFailure.Describe(e)));
            }
        }

        return new SeedRun(spec.Seed, new ExperimentResult(spec.Name, data.Parameters, rows, graphs, latencies, shares, curves, OffPolicy: offPolicy?.Settings), perRequest);
    }

    private ResultRow Failed(string name, string error)
    {
        _reporter.Info($"{name}: failed: {error}");
        return ResultRow.Failed(name, error);
    }

    private static List<(string Name, BuiltComponent Component)> BuildEvaluators(ExperimentSpec spec, ComponentFactory factory)
    {
        var errors = new List<ConfigError>();
        var built = new List<(string, BuiltComponent)>();
        foreach (var named in spec.Evaluators.IsDefault ? [] : spec.Evaluators)
        {
            if (factory.Build(ComponentKind.Evaluator, named.Component, errors) is { } component)
            {
                built.Add((named.Name, component));
            }
        }

        OffPolicyEvaluation.CheckRewardModel(spec.Evaluation.OffPolicy, built, errors);
        return errors.Count > 0 ? throw new ConfigException(errors) : built;
    }

    /// <summary>CDR's reward model: the trained <c>reward_model</c> evaluator over the test requests; null when none is named.</summary>
    private static ItemwiseRewardModel? RewardModel(OffPolicyEvaluationOptions options, List<(string Name, BuiltComponent Component)> evaluators, Dictionary<BuiltComponent, string> failures, ExperimentData data, ExperimentSpec spec, CancellationToken cancellation)
    {
        if (options.RewardModel is not { } name)
        {
            return null;
        }

        var (_, component) = evaluators.FirstOrDefault(e => e.Name == name);
        if (component is null)
        {
            throw new ExperimentFailedException($"evaluation.off_policy: reward_model '{name}' is not an entry of evaluators:");
        }

        if (failures.TryGetValue(component, out var failure))
        {
            throw new ExperimentFailedException($"reward model '{name}' failed, and CDR needs it: {failure}");
        }

        var context = new RerankContext(StableHash.Mix(spec.Seed, StableHash.Of("reward-model:" + name)), cancellation);
        return new ItemwiseRewardModel((IItemwiseEvaluator)component.Instance, data.Schema, data.Test, spec.Evaluation.BatchSize, context);
    }

    private static void CheckRequests(ExperimentData data)
    {
        var problems = data.Test.SelectMany(r => RequestValidator.Validate(r, data.Schema)).Take(10).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"the dataset's test requests are invalid: {string.Join("; ", problems)}");
        }
    }
}
