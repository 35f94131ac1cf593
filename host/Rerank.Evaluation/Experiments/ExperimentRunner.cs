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
    public ExperimentResult Run(ExperimentSpec spec, string outputDirectory, CancellationToken cancellation = default) =>
        Run(spec, outputDirectory, RunScope.Full, cancellation);

    /// <summary>
    /// As <see cref="Run(ExperimentSpec, string, CancellationToken)"/>, within <paramref name="scope"/>: with
    /// <see cref="RunScope.Checkpoints"/>, components load from (and train into) that shared folder; with
    /// <see cref="RunScope.Merge"/>, the slates come from the shards instead of running the pipelines, and everything else —
    /// tuning, references, judges, off-policy estimates, evaluator quality, seeds and differences — is computed as in an
    /// unsharded run, so the results are the same to the last digit (latencies and stage shares are the shards' timings).
    /// </summary>
    /// <exception cref="InvalidDataException">The shards do not belong together or do not tile the test requests.</exception>
    public ExperimentResult Run(ExperimentSpec spec, string outputDirectory, RunScope scope, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Merge is { } given)
        {
            ShardMerge.Validate(given, spec.Name);
        }

        var seeds = spec.RunSeeds;
        var runs = new List<SeedRun>(seeds.Count);
        for (var i = 0; i < seeds.Count; i++)
        {
            Announce(seeds, i);
            var merged = scope.Merge is { } shards ? ShardMerge.SeedOf(shards, i, seeds[i]) : null;
            var (checkpoints, folder) = CheckpointFolders(spec, scope.Checkpoints ?? Path.Combine(outputDirectory, "checkpoints"), i);
            runs.Add(RunSeed(spec with { Seed = seeds[i] }, checkpoints, folder, scope.Checkpoints is not null, null, merged, cancellation).Run!);
        }

        return SeedAggregate.Combine(runs, spec.Evaluation, spec.Seed);
    }

    /// <summary>
    /// Shard <paramref name="shard"/> of <paramref name="spec"/>: per seed, trains or loads what needs training (from
    /// <paramref name="checkpoints"/>, shared by every shard), tunes as the full run does, and runs each pipeline over the
    /// shard's slice of the test requests (<see cref="ShardSpec.Slice"/>); no scoring, which the merge does.
    /// </summary>
    public ShardResult RunShard(ExperimentSpec spec, ShardSpec shard, string checkpoints, IReadOnlyList<string> overrides, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var seeds = spec.RunSeeds;
        var parts = new List<ShardSeed>(seeds.Count);
        for (var i = 0; i < seeds.Count; i++)
        {
            Announce(seeds, i);
            var (folder, seedFolder) = CheckpointFolders(spec, checkpoints, i);
            parts.Add(RunSeed(spec with { Seed = seeds[i] }, folder, seedFolder, reuse: true, shard, null, cancellation).Shard!);
        }

        return new ShardResult(spec.Name, spec.File, overrides, Path.GetFullPath(checkpoints), shard, parts);
    }

    /// <summary>Trains (or loads) every trainable component of every seed into <paramref name="checkpoints"/>, and stops: the step before the shards.</summary>
    public void Train(ExperimentSpec spec, string checkpoints, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var seeds = spec.RunSeeds;
        for (var i = 0; i < seeds.Count; i++)
        {
            Announce(seeds, i);
            var (folder, seedFolder) = CheckpointFolders(spec, checkpoints, i);
            RunSeed(spec with { Seed = seeds[i] }, folder, seedFolder, reuse: true, null, null, cancellation, trainOnly: true);
        }
    }

    private void Announce(IReadOnlyList<ulong> seeds, int i)
    {
        if (seeds.Count > 1)
        {
            _reporter.Info($"seed {seeds[i]} ({i + 1} of {seeds.Count})");
        }
    }

    /// <summary>
    /// Seed <paramref name="i"/>'s checkpoint folder under <paramref name="root"/> and the folder inserted into
    /// <c>checkpoint:</c> paths. The first seed's checkpoints keep their paths (a served pipeline naming a checkpoint finds
    /// the model of the experiment's first seed, as with one seed); every further seed S trains into seed-S/.
    /// </summary>
    private static (string Checkpoints, string? SeedFolder) CheckpointFolders(ExperimentSpec spec, string root, int i)
    {
        var seeds = spec.RunSeeds;
        var seedFolder = i > 0 ? $"seed-{seeds[i]}" : null;
        var folder = spec.CheckpointVariant is { } variant ? (seedFolder is null ? variant : Path.Combine(variant, seedFolder)) : seedFolder;
        return (folder is null ? root : Path.Combine(root, folder), folder);
    }

    /// <summary>One run under <paramref name="spec"/>'s seed; per-request values are kept when <c>compare_to</c> needs them.</summary>
    /// <remarks>
    /// With <paramref name="shard"/>, only that slice of the test requests is run and its slates returned (no scoring);
    /// with <paramref name="merged"/>, the slates come from the shards; with <paramref name="trainOnly"/>, nothing is
    /// evaluated.
    /// </remarks>
    private (SeedRun? Run, ShardSeed? Shard) RunSeed(
        ExperimentSpec spec, string checkpointDirectory, string? seedFolder, bool reuse, ShardSpec? shard, ShardMerge? merged, CancellationToken cancellation, bool trainOnly = false)
    {
        var errors = new List<ConfigError>();
        var dataset = DatasetTypes.Bind(spec.Dataset, errors) ?? throw new ConfigException(errors);
        var data = _reporter.Track($"dataset ({spec.Dataset.Type})", 1, p => dataset.Type.Load(dataset.Options, spec.Dataset.Path, spec.Seed, p));
        CheckRequests(data);
        merged?.Check(data.Test.Count);
        var scoring = shard is null && !trainOnly;
        var offPolicy = scoring && spec.Evaluation.OffPolicy is { } ope ? _reporter.Track("off-policy log", 1, _ => OffPolicyEvaluation.Prepare(ope, data, spec.Seed)) : null;

        var factory = new ComponentFactory(_catalog, data.Schema, spec.Seed);
        var pipelines = PipelineTuner.CompileAll(spec, factory);
        var evaluators = BuildEvaluators(spec, factory);
        var failures = new Dictionary<BuiltComponent, string>(ReferenceEqualityComparer.Instance);
        var curves = ComponentTrainer.Prepare(factory.Built, data.Training, checkpointDirectory, _reporter, cancellation, failures, seedFolder, reuse);
        if (trainOnly)
        {
            return failures.Count == 0
                ? (null, null)
                : throw new ExperimentFailedException($"{failures.Count} component(s) could not be trained: {string.Join("; ", failures.Values)}");
        }

        foreach (var (name, evaluator) in evaluators.Where(e => spec.Evaluation.Judges.Contains(e.Name) && failures.ContainsKey(e.Component)))
        {
            throw new ExperimentFailedException($"judge '{name}' failed, and every pipeline is measured under it: {failures[evaluator]}");
        }

        if (shard is { } part)
        {
            return (null, RunShardSeed(spec, data, pipelines, failures, part, cancellation));
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
            var chosen = 0;
            try
            {
                if (variants.Tune is { } tune)
                {
                    var validation = data.Training.Validation.Select(l => l.Request).ToList();
                    var (best, scores) = _reporter.Track($"tune {pipeline.Name} ({variants.Variants.Count} points)", variants.Variants.Count * Math.Max(validation.Count, 1), p =>
                        PipelineTuner.Search(variants, data.Schema, validation, spec.Evaluation.BatchSize, context, p));
                    pipeline = variants.Variants[best];
                    chosen = best;
                    graphs[pipeline.Name] = pipeline.Describe();
                    tuned = new TuningOutcome(tune.Metric, variants.Variants.Count, [PipelineTuner.Choice(tune, variants.Points[best], scores[best], validation.Count, spec.Seed)]);
                }

                if (merged is not null && merged.Variant(pipeline.Name) is var (variant, error))
                {
                    if (error is not null)
                    {
                        rows.Add(Failed(pipeline.Name, error));
                        continue;
                    }

                    if (chosen != variant)
                    {
                        throw new InvalidDataException($"pipeline '{pipeline.Name}': the shards chose grid point {variant}, this merge's tuning chose {chosen}: the shards ran on other data or models");
                    }
                }

                var measured = merged is not null
                    ? merged.Measurement(pipeline)
                    : _reporter.Track($"evaluate {pipeline.Name}", PipelineRunner.ProgressUnits(data.Test.Count, spec.Evaluation), p =>
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

        return (new SeedRun(spec.Seed, new ExperimentResult(spec.Name, data.Parameters, rows, graphs, latencies, shares, curves, OffPolicy: offPolicy?.Settings), perRequest), null);
    }

    /// <summary>Tunes each pipeline as the full run does and runs it over shard <paramref name="shard"/>'s requests only.</summary>
    private ShardSeed RunShardSeed(ExperimentSpec spec, ExperimentData data, IReadOnlyList<PipelineVariants> pipelines, Dictionary<BuiltComponent, string> failures, ShardSpec shard, CancellationToken cancellation)
    {
        var (start, end) = shard.Slice(data.Test.Count, spec.Evaluation.BatchSize);
        var requests = data.Test.Skip(start).Take(end - start).ToList();
        var results = new List<ShardPipeline>();
        foreach (var variants in pipelines)
        {
            var pipeline = variants.Variants[0];
            if (variants.Variants.SelectMany(v => v.Components).FirstOrDefault(failures.ContainsKey) is { } broken)
            {
                results.Add(new ShardPipeline(pipeline.Name, 0, [], [], [], failures[broken]));
                continue;
            }

            var context = new RerankContext(StableHash.Mix(spec.Seed, StableHash.Of(pipeline.Name)), cancellation);
            var variant = 0;
            try
            {
                if (variants.Tune is not null)
                {
                    var validation = data.Training.Validation.Select(l => l.Request).ToList();
                    (variant, _) = _reporter.Track($"tune {pipeline.Name} ({variants.Variants.Count} points)", variants.Variants.Count * Math.Max(validation.Count, 1), p =>
                        PipelineTuner.Search(variants, data.Schema, validation, spec.Evaluation.BatchSize, context, p));
                    pipeline = variants.Variants[variant];
                }

                var measured = _reporter.Track($"evaluate {pipeline.Name} (requests {start}…{end - 1} of {data.Test.Count})", PipelineRunner.ProgressUnits(requests.Count, spec.Evaluation), p =>
                    PipelineRunner.Measure(pipeline, data.Schema, requests, spec.Evaluation, context, p));
                results.Add(new ShardPipeline(pipeline.Name, variant, measured.Slates, measured.LatenciesMs, measured.StageMs, null));
            }
            catch (Exception e) when (RunFailure.IsFailure(e, cancellation))
            {
                _reporter.Info($"{pipeline.Name}: failed: {RunFailure.Describe(e)}");
                results.Add(new ShardPipeline(pipeline.Name, variant, [], [], [], RunFailure.Describe(e)));
            }
        }

        return new ShardSeed(spec.Seed, data.Test.Count, start, end, results);
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
