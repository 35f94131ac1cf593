using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Simulation.Datasets;
using YamlDotNet.RepresentationModel;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Validates a pipeline or experiment file without running anything: YAML, keys, names, paths, stage graph, dataset
/// params, plugin references and version ranges, every component's params and every <c>tune:</c> grid value, and that every component can be created
/// (its plugin factory is called; nothing is trained and no checkpoint is read). Collects all errors.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Validates <paramref name="path"/> (an experiment when it has <c>pipelines:</c>, else a pipeline); returns a one-line summary.</summary>
    /// <param name="path">The file.</param>
    /// <param name="catalog">The loaded plugins.</param>
    /// <param name="errors">Where every error goes.</param>
    /// <param name="paths">Where the paths it names may lie (default: its folder and the working directory).</param>
    public static string ValidateFile(string path, PluginCatalog catalog, ICollection<ConfigError> errors, PathPolicy? paths = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var display = PipelineParser.DisplayPath(path);
        var root = YamlReader.Load(path, display, errors);
        if (root is null)
        {
            return display;
        }

        var isExperiment = root.Children.Keys.Any(k => k is YamlScalarNode { Value: "pipelines" or "dataset" });
        if (!isExperiment)
        {
            var pipeline = PipelineParser.ParseFile(path, errors, paths);
            if (pipeline is not null)
            {
                CheckComponents(pipeline, catalog, errors);
            }

            return $"{display}: pipeline '{pipeline?.Name}' ({pipeline?.Stages.Length} stages)";
        }

        var experiment = ExperimentParser.ParseFile(path, errors, paths);
        if (experiment is null)
        {
            return display;
        }

        DatasetTypes.Bind(experiment.Dataset, errors);
        var factory = new ComponentFactory(catalog, schema: null, seed: 0);
        foreach (var pipeline in experiment.Pipelines)
        {
            CheckComponents(pipeline, factory, errors);
            if (experiment.TuneOf(pipeline.Name) is { } tune)
            {
                TuneCheck.Check(tune, pipeline, factory, errors);
            }
        }

        var evaluators = new List<(string, BuiltComponent)>();
        foreach (var evaluator in experiment.Evaluators.IsDefault ? [] : experiment.Evaluators)
        {
            if (factory.Build(ComponentKind.Evaluator, evaluator.Component, errors) is { } built)
            {
                evaluators.Add((evaluator.Name, built));
            }
        }

        OffPolicyEvaluation.CheckRewardModel(experiment.Evaluation.OffPolicy, evaluators, errors);

        return $"{display}: experiment '{experiment.Name}', dataset {experiment.Dataset.Type}, {experiment.Pipelines.Length} pipelines ({string.Join(", ", experiment.Pipelines.Select(p => p.Name))})";
    }

    /// <summary>Resolves every component reference of <paramref name="pipeline"/>, binds its params and creates it (untrained).</summary>
    public static void CheckComponents(PipelineSpec pipeline, PluginCatalog catalog, ICollection<ConfigError> errors) =>
        CheckComponents(pipeline, new ComponentFactory(catalog, schema: null, seed: 0), errors);

    private static void CheckComponents(PipelineSpec pipeline, ComponentFactory factory, ICollection<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        foreach (var (kind, spec) in pipeline.Components())
        {
            factory.Build(kind, spec, errors);
        }
    }
}
