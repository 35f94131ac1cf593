using System.Collections.Immutable;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Evaluation.OffPolicy;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Simulation.Datasets;
using YamlDotNet.RepresentationModel;

namespace Rerank.Evaluation.Experiments;

/// <summary>Reads an experiment file (inline pipelines or <c>file:</c> includes, each optionally with <c>tune:</c>), collecting every error.</summary>
public static class ExperimentParser
{
    /// <summary>How path hints name the folder of an experiment file.</summary>
    public const string Owner = "the experiment's folder";

    /// <summary>Parses an experiment file; every path it names must lie under <paramref name="paths"/>' roots (default: its folder and the working directory).</summary>
    public static ExperimentSpec? ParseFile(string path, ICollection<ConfigError> errors, PathPolicy? paths = null)
    {
        var display = PipelineParser.DisplayPath(path);
        var root = YamlReader.Load(path, display, errors);
        if (root is null)
        {
            return null;
        }

        var y = new YamlReader(display, errors);
        var policy = paths ?? PathPolicy.Default;
        var scope = policy.For(Path.GetDirectoryName(Path.GetFullPath(path))!, Owner);
        y.CheckKeys(root, "experiment", "name", "description", "seed", "seeds", "dataset", "evaluation", "pipelines", "evaluators");
        var name = y.String(root, "name", "experiment", required: true);
        if (name is not null && !Identifier.Check(y, y.Get(root, "name")!, "experiment", name))
        {
            name = null;
        }

        var description = y.String(root, "description", "experiment");
        var seed = y.Seed(root, "seed", "experiment");
        var seeds = ParseSeeds(y, root, seed is not null);
        seed ??= seeds.IsDefaultOrEmpty ? 42UL : seeds[0];
        var dataset = ParseDataset(y, root, scope);
        var evaluation = ParseEvaluation(y, root);
        var pipelines = ImmutableArray.CreateBuilder<PipelineSpec>();
        var tuning = ImmutableArray.CreateBuilder<TuneSpec>();
        var pipelinesNode = y.Get(root, "pipelines");
        if (pipelinesNode is null)
        {
            y.Error(root, "experiment: 'pipelines' is required");
        }
        else if (y.Sequence(pipelinesNode, "experiment: pipelines") is { } seq)
        {
            foreach (var item in seq.Children)
            {
                var p = ParsePipelineEntry(y, item, scope, errors);
                if (p is not null)
                {
                    pipelines.Add(p);
                }

                if (item is YamlMappingNode entry && y.Get(entry, "tune") is { } tuneNode && TuneParser.Parse(y, tuneNode, p) is { } tune)
                {
                    tuning.Add(tune);
                }
            }
        }

        var evaluators = ParseEvaluators(y, root, scope);
        foreach (var unknown in JudgeReference.Unknown(evaluation.Judges, evaluators.Select(e => e.Name)))
        {
            y.Error(y.Get(root, "evaluation") ?? root, unknown);
        }

        foreach (var dup in pipelines.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ConfigError(dup.Skip(1).First().Location, $"experiment: pipeline name '{dup.Key}' is used {dup.Count()} times; names must be unique"));
        }

        CheckCompareTo(y, root, evaluation, pipelines);
        CheckOffPolicy(y, root, evaluation.OffPolicy, evaluators, dataset);
        return name is null || dataset is null
            ? null
            : new ExperimentSpec(name, description, seed.Value, dataset, evaluation, pipelines.ToImmutable(), display, evaluators, seeds, tuning.ToImmutable());
    }

    /// <summary><c>seeds: [1, 2, 3]</c>: non-empty, distinct, and not beside <c>seed:</c>; default (absent) when not given.</summary>
    private static ImmutableArray<ulong> ParseSeeds(YamlReader y, YamlMappingNode root, bool hasSeed)
    {
        var node = y.Get(root, "seeds");
        if (node is null)
        {
            return default;
        }

        if (hasSeed)
        {
            y.Error(node, "experiment: give either 'seed' (one run) or 'seeds' (a run per seed), not both");
            return default;
        }

        if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            y.Error(node, "experiment: 'seeds' must be a non-empty list of non-negative integers, e.g. seeds: [1, 2, 3]");
            return default;
        }

        var result = ImmutableArray.CreateBuilder<ulong>();
        foreach (var item in seq.Children)
        {
            if (item is not YamlScalarNode s || !ulong.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                y.Error(item, $"experiment: each of 'seeds' must be a non-negative integer, got '{(item as YamlScalarNode)?.Value ?? item.NodeType.ToString()}'");
                continue;
            }

            if (result.Contains(value))
            {
                y.Error(item, $"experiment: seed {value} is listed twice in 'seeds'; seeds must be distinct");
                continue;
            }

            result.Add(value);
        }

        return result.Count == seq.Children.Count ? result.ToImmutable() : default;
    }

    /// <summary>
    /// <c>evaluation.compare_to</c> names pipelines of the experiment, each once: one error per unknown name (at that
    /// name, listing the pipelines) and per repeated name (at its second mention).
    /// </summary>
    private static void CheckCompareTo(YamlReader y, YamlMappingNode root, EvaluationOptions evaluation, ImmutableArray<PipelineSpec>.Builder pipelines)
    {
        if (evaluation.CompareTo.Length == 0)
        {
            return;
        }

        var map = y.Get(root, "evaluation") as YamlMappingNode;
        var node = map is null ? root : y.Get(map, "compare_to") ?? map;
        var items = node is YamlSequenceNode seq && seq.Children.Count == evaluation.CompareTo.Length ? seq.Children : null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < evaluation.CompareTo.Length; i++)
        {
            var reference = evaluation.CompareTo[i];
            var at = items?[i] ?? node;
            if (!seen.Add(reference))
            {
                y.Error(at, $"evaluation: compare_to lists '{reference}' twice; each reference must be named once");
            }
            else if (!pipelines.Any(p => p.Name == reference))
            {
                y.Error(at, $"evaluation: compare_to '{reference}' is not a pipeline of this experiment; pipelines: {string.Join(", ", pipelines.Select(p => p.Name))}");
            }
        }
    }

    /// <summary>
    /// <c>evaluation.off_policy</c>: known estimators, each once; a positive clip; <c>cdr</c> with a <c>reward_model</c>
    /// that names an entry of <c>evaluators:</c>; no pseudo-inverse estimator on a log (it records no pair marginals).
    /// Each error sits at the key it is about.
    /// </summary>
    private static void CheckOffPolicy(YamlReader y, YamlMappingNode root, OffPolicyEvaluationOptions? options, ImmutableArray<NamedComponentSpec> evaluators, DatasetSpec? dataset)
    {
        if (options is null || y.Get(root, "evaluation") is not YamlMappingNode evaluation || y.Get(evaluation, "off_policy") is not YamlMappingNode block)
        {
            return;
        }

        YamlNode At(string key) => y.Get(block, key) ?? block;
        foreach (var problem in options.Validate())
        {
            var key = problem.StartsWith("off_policy.estimators", StringComparison.Ordinal) ? "estimators"
                : problem.StartsWith("off_policy.clip", StringComparison.Ordinal) ? "clip"
                : "reward_model";
            y.Error(At(key), "evaluation: " + problem);
        }

        if (options.RewardModel is { } model && !evaluators.Any(e => e.Name == model))
        {
            y.Error(At("reward_model"), $"evaluation: off_policy.reward_model '{model}' is not an entry of evaluators:; evaluators: {(evaluators.Length == 0 ? "(none)" : string.Join(", ", evaluators.Select(e => e.Name)))}");
        }

        // A log records propensities of the shown slates only; with its logging policy declared, every estimator applies.
        if (dataset?.Type == "logs" && !(dataset.Params?.Entries.Any(e => OptionsBinder.SameKey(e.Key, nameof(LogsOptions.LoggingPolicy)) && e.Value is ParamMapping) ?? false))
        {
            foreach (var pi in options.Listed.Where(e => e.Need == PolicyNeed.Pairs))
            {
                y.Error(At("estimators"), $"evaluation: off_policy estimator {pi.Key} needs the logging policy's pairwise (position, item) marginals, which a log does not record (dataset: logs); declare dataset.params.logging_policy (docs/logs.md) or leave it out");
            }
        }
    }

    /// <summary><c>evaluators: [{name: e, use: plugin/evaluator, params: {…}, checkpoint: …}]</c>.</summary>
    private static ImmutableArray<NamedComponentSpec> ParseEvaluators(YamlReader y, YamlMappingNode root, PathScope scope)
    {
        var result = ImmutableArray.CreateBuilder<NamedComponentSpec>();
        if (y.Sequence(y.Get(root, "evaluators"), "experiment: evaluators") is not { } seq)
        {
            return result.ToImmutable();
        }

        foreach (var item in seq.Children)
        {
            if (y.Mapping(item, "experiment: each evaluator") is not { } map)
            {
                continue;
            }

            y.CheckKeys(map, "evaluator", "name", "use", "params", "checkpoint", "device");
            var component = PipelineParser.ParseComponent(y, map, "evaluator", scope);
            var name = y.String(map, "name", "evaluator");
            if (name is not null && !Identifier.Check(y, y.Get(map, "name")!, "evaluator", name))
            {
                continue;
            }

            if (component is not null)
            {
                result.Add(new NamedComponentSpec(name ?? component.Reference, component));
            }
        }

        foreach (var dup in result.GroupBy(e => e.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            y.Errors.Add(new ConfigError(dup.Skip(1).First().Component.Location, $"experiment: evaluator name '{dup.Key}' is used {dup.Count()} times; names must be unique"));
        }

        return result.ToImmutable();
    }

    /// <summary>An inline pipeline (name + stages) or a <c>file:</c> include (renamed by <c>name:</c>); either may carry <c>tune:</c>, read by the caller.</summary>
    private static PipelineSpec? ParsePipelineEntry(YamlReader y, YamlNode item, PathScope scope, ICollection<ConfigError> errors)
    {
        if (item is not YamlMappingNode map)
        {
            y.Error(item, "experiment: each pipeline is a mapping (name + stages, or file: path)");
            return null;
        }

        if (y.Get(map, "file") is not { } fileNode)
        {
            return PipelineParser.Parse(y, map, scope, "tune");
        }

        y.CheckKeys(map, "experiment: pipeline include", "file", "name", "tune");
        var file = y.String(map, "file", "experiment: pipeline include", required: true);
        if (file is null)
        {
            return null;
        }

        var full = scope.Resolve(y, fileNode, "pipeline file", file);
        if (full is null)
        {
            return null;
        }

        if (!File.Exists(full))
        {
            y.Error(fileNode, $"experiment: pipeline file '{file}' not found (looked for {full})");
            return null;
        }

        var spec = PipelineParser.ParseFile(full, errors, scope.Policy);
        var rename = y.String(map, "name", "experiment: pipeline include");
        if (rename is not null && !Identifier.Check(y, y.Get(map, "name")!, "pipeline", rename))
        {
            return null;
        }

        return spec is not null && rename is not null ? spec with { Name = rename } : spec;
    }

    private static DatasetSpec? ParseDataset(YamlReader y, YamlMappingNode root, PathScope scope)
    {
        var node = y.Get(root, "dataset");
        if (node is null)
        {
            y.Error(root, "experiment: 'dataset' is required (e.g. dataset: {type: simulator})");
            return null;
        }

        var map = y.Mapping(node, "experiment: dataset");
        if (map is null)
        {
            return null;
        }

        y.CheckKeys(map, "dataset", "type", "params", "path");
        var type = y.String(map, "type", "dataset", required: true);
        var paramsNode = y.Get(map, "params");
        ParamMapping? parameters = null;
        if (paramsNode is YamlMappingNode pm)
        {
            parameters = (ParamMapping)YamlParams.ToParam(pm, y.File);
        }
        else if (paramsNode is not null)
        {
            y.Error(paramsNode, "dataset: 'params' must be a mapping");
        }

        var written = y.String(map, "path", "dataset");
        var path = written is null ? null : scope.Resolve(y, y.Get(map, "path")!, "dataset path", written);
        if (written is not null && path is null)
        {
            return null; // refused: binding the type would only add "path is required"
        }

        return type is null ? null : new DatasetSpec(type, parameters, path, y.At(map));
    }

    private static EvaluationOptions ParseEvaluation(YamlReader y, YamlMappingNode root)
    {
        var node = y.Get(root, "evaluation");
        if (node is null)
        {
            return new EvaluationOptions();
        }

        if (node is not YamlMappingNode map)
        {
            y.Error(node, "experiment: 'evaluation' must be a mapping");
            return new EvaluationOptions();
        }

        var errors = new List<ConfigError>();
        var options = OptionsBinder.Bind<EvaluationOptions>(CompareToAsList(y, (ParamMapping)YamlParams.ToParam(map, y.File)), errors);
        foreach (var e in errors)
        {
            y.Errors.Add(e with { Message = e.Message.Replace("params", "evaluation", StringComparison.Ordinal) });
        }

        return options;
    }

    /// <summary>
    /// <c>compare_to: NAME</c> as the one-item list <c>compare_to: [NAME]</c> (the option is a list; the binder binds
    /// lists from sequences only), and <c>compare_to:</c> without a value as unset. An empty list is an error.
    /// </summary>
    private static ParamMapping CompareToAsList(YamlReader y, ParamMapping evaluation)
    {
        var index = -1;
        for (var i = 0; i < evaluation.Entries.Length && index < 0; i++)
        {
            index = evaluation.Entries[i].Key == "compare_to" ? i : -1;
        }

        if (index < 0)
        {
            return evaluation;
        }

        var entry = evaluation.Entries[index];
        switch (entry.Value)
        {
            case ParamScalar { Value: null or "" or "null" or "~" }:
                return evaluation with { Entries = evaluation.Entries.RemoveAt(index) };
            case ParamScalar scalar:
                return evaluation with { Entries = evaluation.Entries.SetItem(index, entry with { Value = new ParamSequence([scalar], scalar.Location) }) };
            case ParamSequence { Items.Length: 0 } empty:
                y.Errors.Add(new ConfigError(empty.Location, "evaluation: compare_to must name a pipeline or list at least one, e.g. compare_to: [dpp, seq2slate]"));
                return evaluation with { Entries = evaluation.Entries.RemoveAt(index) };
            default:
                return evaluation;
        }
    }
}
