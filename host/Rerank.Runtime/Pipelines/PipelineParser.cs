using System.Collections.Immutable;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Pipelines;

/// <summary>Reads pipeline YAML into <see cref="PipelineSpec"/>s, collecting every error, then checks the stage graph.</summary>
public static class PipelineParser
{
    private static readonly string[] StageKinds = ["generate", "evaluate", "diversify", "truncate"];

    /// <summary>The range of <c>generate: count</c>, K slates per request.</summary>
    public static readonly IntRange CountRange = new(1, 1024);

    /// <summary>The range of <c>diversify: size</c> and <c>truncate: size</c>, items kept.</summary>
    public static readonly IntRange SizeRange = new(1, 10_000);

    /// <summary>How path hints name the folder of a pipeline file.</summary>
    public const string Owner = "the pipeline's folder";

    /// <summary>Parses a pipeline file (a mapping with <c>name</c>, <c>description</c>, <c>stages</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="errors">Where every error goes.</param>
    /// <param name="paths">Where its checkpoints may lie (default: its folder and the working directory).</param>
    /// <param name="display">How errors name the file (default: <see cref="DisplayPath"/>).</param>
    public static PipelineSpec? ParseFile(string path, ICollection<ConfigError> errors, PathPolicy? paths = null, string? display = null)
    {
        display ??= DisplayPath(path);
        var root = YamlReader.Load(path, display, errors);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return root is null ? null : Parse(new YamlReader(display, errors), root, (paths ?? PathPolicy.Default).For(folder, Owner));
    }

    /// <summary>Parses pipeline YAML text; relative checkpoints resolve against <paramref name="baseDirectory"/>, which counts as its folder.</summary>
    public static PipelineSpec? ParseText(string yaml, string displayName, string baseDirectory, ICollection<ConfigError> errors, PathPolicy? paths = null)
    {
        var root = YamlReader.Parse(yaml, displayName, errors);
        return root is null ? null : Parse(new YamlReader(displayName, errors), root, (paths ?? PathPolicy.Default).For(baseDirectory, Owner));
    }

    /// <summary>
    /// Parses one pipeline mapping; its checkpoint paths resolve and are checked in <paramref name="paths"/>.
    /// <paramref name="extraKeys"/> are keys the caller reads itself (an experiment's <c>tune</c>).
    /// </summary>
    public static PipelineSpec? Parse(YamlReader y, YamlMappingNode map, PathScope paths, params string[] extraKeys)
    {
        y.CheckKeys(map, "pipeline", ["name", "description", "stages", .. extraKeys]);
        var name = y.String(map, "name", "pipeline", required: true);
        if (name is not null && !Identifier.Check(y, y.Get(map, "name")!, "pipeline", name))
        {
            name = null;
        }

        var description = y.String(map, "description", "pipeline");
        var stagesNode = y.Get(map, "stages");
        var stages = ImmutableArray.CreateBuilder<StageSpec>();
        if (stagesNode is null)
        {
            y.Error(map, $"pipeline '{name}': 'stages' is required (a sequence of generate / evaluate / diversify / truncate)");
        }
        else if (y.Sequence(stagesNode, $"pipeline '{name}': stages") is { } seq)
        {
            foreach (var item in seq.Children)
            {
                var stage = ParseStage(y, item, name ?? "?", paths);
                if (stage is not null)
                {
                    stages.Add(stage);
                }
            }
        }

        if (name is null)
        {
            return null;
        }

        var spec = new PipelineSpec(name, description, stages.ToImmutable(), y.At(map));
        CheckGraph(spec, y.Errors, stagesNode is not null && stages.Count > 0);
        return spec;
    }

    /// <summary>Checks the order of stages: one generate first, evaluate only after a generate of K ≥ 2, truncate last.</summary>
    public static void CheckGraph(PipelineSpec spec, ICollection<ConfigError> errors, bool hasStages)
    {
        if (!hasStages)
        {
            if (errors.Count == 0)
            {
                errors.Add(new ConfigError(spec.Location, $"pipeline '{spec.Name}': needs at least a generate stage"));
            }

            return;
        }

        var stages = spec.Stages;
        if (stages[0] is not GenerateStageSpec)
        {
            errors.Add(new ConfigError(stages[0].Location, $"pipeline '{spec.Name}': the first stage must be 'generate', not '{stages[0].Kind}'"));
        }

        for (var i = 1; i < stages.Length; i++)
        {
            if (stages[i] is GenerateStageSpec)
            {
                errors.Add(new ConfigError(stages[i].Location, $"pipeline '{spec.Name}': only one 'generate' stage is allowed, and it comes first"));
            }

            if (stages[i] is EvaluateStageSpec && stages[i - 1] is not GenerateStageSpec)
            {
                errors.Add(new ConfigError(stages[i].Location, $"pipeline '{spec.Name}': 'evaluate' must directly follow 'generate' (it picks the best of its K slates)"));
            }

            if (stages[i - 1] is TruncateStageSpec)
            {
                errors.Add(new ConfigError(stages[i].Location, $"pipeline '{spec.Name}': 'truncate' must be the last stage"));
            }
        }
    }

    private static StageSpec? ParseStage(YamlReader y, YamlNode node, string pipeline, PathScope paths)
    {
        if (node is not YamlMappingNode map || map.Children.Count != 1 || map.Children.Keys.Single() is not YamlScalarNode key)
        {
            y.Error(node, $"pipeline '{pipeline}': each stage is a mapping with one key: {string.Join(", ", StageKinds)}");
            return null;
        }

        var kind = key.Value ?? "";
        var body = map.Children.Values.Single();
        var what = $"pipeline '{pipeline}', {kind}";
        var bodyMap = body is YamlScalarNode { Value: null or "" } ? new YamlMappingNode() : y.Mapping(body, what);
        if (bodyMap is null)
        {
            return null;
        }

        var at = y.At(key);
        switch (kind)
        {
            case "generate":
                var before = y.Errors.Count;
                y.CheckKeys(bodyMap, what, "use", "params", "checkpoint", "device", "scorer", "decoder", "diversifier", "count");
                var generator = y.Get(bodyMap, "use") is null ? null : ParseComponent(y, bodyMap, what, paths);
                var scorer = ParseComponentAt(y, bodyMap, "scorer", what, paths);
                var decoder = ParseComponentAt(y, bodyMap, "decoder", what, paths);
                var diversifier = ParseComponentAt(y, bodyMap, "diversifier", what, paths);
                if (generator is null && (scorer is null || decoder is null) && y.Errors.Count == before)
                {
                    y.Error(key, $"{what}: give either 'use' (a generator) or both 'scorer' and 'decoder'");
                }

                if (generator is not null && (scorer ?? decoder ?? diversifier) is not null)
                {
                    y.Error(key, $"{what}: 'use' (a generator) cannot be combined with 'scorer', 'decoder' or 'diversifier'");
                }

                if (generator is null && (y.Get(bodyMap, "params") ?? y.Get(bodyMap, "checkpoint") ?? y.Get(bodyMap, "device")) is { } stray)
                {
                    y.Error(stray, $"{what}: 'params', 'checkpoint' and 'device' belong to 'use' or inside 'scorer'/'decoder'/'diversifier'");
                }

                return new GenerateStageSpec(generator, scorer, decoder, diversifier, y.Int(bodyMap, "count", what, CountRange) ?? 1, at);
            case "evaluate":
                y.CheckKeys(bodyMap, what, "use", "params", "checkpoint", "device");
                var evaluator = ParseComponent(y, bodyMap, what, paths);
                return evaluator is null ? null : new EvaluateStageSpec(evaluator, at);
            case "diversify":
                y.CheckKeys(bodyMap, what, "use", "params", "size");
                var div = ParseComponent(y, bodyMap, what, paths);
                var size = y.Int(bodyMap, "size", what, SizeRange);
                return div is null ? null : new DiversifyStageSpec(div, size, at);
            case "truncate":
                y.CheckKeys(bodyMap, what, "size");
                return new TruncateStageSpec(y.Int(bodyMap, "size", what, SizeRange), at);
            default:
                y.Error(key, $"pipeline '{pipeline}': unknown stage '{kind}'; expected one of: {string.Join(", ", StageKinds)}");
                return null;
        }
    }

    private static ComponentSpec? ParseComponentAt(YamlReader y, YamlMappingNode map, string key, string what, PathScope paths)
    {
        var node = y.Get(map, key);
        return node switch
        {
            null => null,
            YamlScalarNode { Value: { Length: > 0 } reference } => new ComponentSpec(reference, null, null, y.At(node)),
            YamlMappingNode inner => CheckedComponent(y, inner, $"{what}.{key}", paths),
            _ => Fail(y, node, $"{what}: '{key}' must be a component reference (plugin@range/name) or a mapping with 'use' and 'params'"),
        };
    }

    private static ComponentSpec? CheckedComponent(YamlReader y, YamlMappingNode map, string what, PathScope paths)
    {
        y.CheckKeys(map, what, "use", "params", "checkpoint", "device");
        return ParseComponent(y, map, what, paths);
    }

    /// <summary>
    /// Parses <c>use</c>, <c>params</c>, <c>checkpoint</c> and <c>device</c> (cpu or cuda) of a component mapping; the
    /// checkpoint resolves in <paramref name="paths"/> and is refused, before anything reads it, when it lies outside.
    /// </summary>
    public static ComponentSpec? ParseComponent(YamlReader y, YamlMappingNode map, string what, PathScope paths)
    {
        var use = y.String(map, "use", what, required: true);
        var paramsNode = y.Get(map, "params");
        ParamMapping? parameters = null;
        if (paramsNode is YamlMappingNode pm)
        {
            parameters = (ParamMapping)YamlParams.ToParam(pm, y.File);
        }
        else if (paramsNode is not null && paramsNode is not YamlScalarNode { Value: null or "" })
        {
            y.Error(paramsNode, $"{what}: 'params' must be a mapping");
        }

        var checkpoint = y.String(map, "checkpoint", what) is { } written ? paths.Resolve(y, y.Get(map, "checkpoint")!, "checkpoint", written) : null;

        var device = y.String(map, "device", what);
        if (device is not null && !ComponentDevices.IsKnown(device))
        {
            y.Error(y.Get(map, "device")!, $"{what}: device '{device}' is not one of {string.Join(", ", ComponentDevices.Known)}");
            device = null;
        }

        var location = y.Get(map, "use") is { } useNode ? y.At(useNode) : y.At(map);
        return use is null ? null : new ComponentSpec(use, parameters, checkpoint, location, device);
    }

    private static ComponentSpec? Fail(YamlReader y, YamlNode node, string message)
    {
        y.Error(node, message);
        return null;
    }

    /// <summary>A path as shown in messages: relative to the current directory when below it.</summary>
    public static string DisplayPath(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }
}
