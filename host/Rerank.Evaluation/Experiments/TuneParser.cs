using System.Collections.Immutable;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Reads a pipeline entry's <c>tune:</c> block (<c>metric</c>, <c>grid</c>) and resolves each grid key against the
/// pipeline's stages, collecting every error; the values are bound against the components' options later
/// (<see cref="TuneCheck"/>), where the plugins are known.
/// </summary>
internal static class TuneParser
{
    private static readonly string[] Parts = ["scorer", "decoder", "diversifier"];

    /// <summary>The tune block of <paramref name="pipeline"/> (null when it could not be parsed; then nothing is resolved against the stages).</summary>
    public static TuneSpec? Parse(YamlReader y, YamlNode node, PipelineSpec? pipeline)
    {
        var what = $"pipeline '{pipeline?.Name ?? "?"}', tune";
        if (y.Mapping(node, what) is not { } map)
        {
            return null;
        }

        var before = y.Errors.Count;
        y.CheckKeys(map, what, "metric", "grid");
        var metric = y.String(map, "metric", what) ?? "utility";
        if (!TuneSpec.Metrics.Contains(metric))
        {
            y.Error(y.Get(map, "metric")!, $"{what}: metric '{metric}' is not supported; supported: {string.Join(", ", TuneSpec.Metrics)}");
        }

        var gridNode = y.Get(map, "grid");
        var axes = ImmutableArray.CreateBuilder<TuneAxis>();
        if (gridNode is null)
        {
            y.Error(map, $"{what}: 'grid' is required (one key per param, e.g. diversify.lambda: [0.1, 0.5, 0.9])");
        }
        else if (y.Mapping(gridNode, $"{what}: grid") is { } grid)
        {
            if (grid.Children.Count == 0)
            {
                y.Error(grid, $"{what}: the grid is empty; give at least one key (e.g. diversify.lambda: [0.1, 0.5, 0.9])");
            }

            foreach (var (keyNode, valuesNode) in grid.Children)
            {
                if (Axis(y, what, (YamlScalarNode)keyNode, valuesNode, pipeline) is { } axis)
                {
                    axes.Add(axis);
                }
            }
        }

        if (pipeline is null || y.Errors.Count != before)
        {
            return null;
        }

        var tune = new TuneSpec(pipeline.Name, metric, axes.ToImmutable(), y.At(map));
        // Saturating, so that a hostile grid cannot overflow the count past the limit.
        var points = axes.Aggregate(1L, (n, a) => Math.Min(n * a.Values.Length, TuneSpec.MaxPoints + 1L));
        if (points > TuneSpec.MaxPoints)
        {
            y.Error(gridNode!, $"{what}: the grid has more than {TuneSpec.MaxPoints} combinations ({string.Join(" × ", axes.Select(a => a.Values.Length))}); at most {TuneSpec.MaxPoints}");
            return null;
        }

        return tune;
    }

    private static TuneAxis? Axis(YamlReader y, string what, YamlScalarNode keyNode, YamlNode valuesNode, PipelineSpec? pipeline)
    {
        var key = keyNode.Value ?? "";
        var values = ImmutableArray.CreateBuilder<ParamNode>();
        if (valuesNode is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            y.Error(valuesNode, $"{what}: '{key}' must be a non-empty list of values, e.g. {key}: [0.1, 0.5, 0.9]");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in seq.Children)
            {
                var value = YamlParams.ToParam(item, y.File);
                if (!seen.Add(TuneSpec.Identity(value)))
                {
                    y.Error(item, $"{what}: '{key}' lists {TuneSpec.Display(value)} twice; values must be distinct");
                    continue;
                }

                values.Add(value);
            }
        }

        return pipeline is null ? null : Resolve(y, what, keyNode, key, pipeline, values.ToImmutable());
    }

    /// <summary>Resolves <c>stage.param</c> (or <c>generate.scorer.param</c>) to one stage, one component and a param path.</summary>
    private static TuneAxis? Resolve(YamlReader y, string what, YamlScalarNode keyNode, string key, PipelineSpec pipeline, ImmutableArray<ParamNode> values)
    {
        var parts = key.Split('.');
        var stages = pipeline.Stages.Select((s, i) => (Stage: s, Index: i)).Where(s => s.Stage.Kind == parts[0]).ToList();
        if (stages.Count == 0)
        {
            var kinds = string.Join(", ", pipeline.Stages.Select(s => s.Kind).Distinct());
            y.Error(keyNode, $"{what}: '{key}' names no stage of the pipeline; a key is <stage>.<param> with stage one of: {kinds}");
            return null;
        }

        if (stages.Count > 1)
        {
            var list = string.Join(", ", stages.Select(s => $"stage {s.Index + 1} at {s.Stage.Location}"));
            y.Error(keyNode, $"{what}: '{key}' is ambiguous: the pipeline has {stages.Count} '{parts[0]}' stages ({list})");
            return null;
        }

        var (stage, index) = stages[0];
        string? part = null;
        var first = 1;
        if (stage is GenerateStageSpec { Generator: null } generate)
        {
            var present = Parts.Where(p => TuneAxis.Component(generate, p) is not null).ToList();
            if (parts.Length < 2 || !present.Contains(parts[1]))
            {
                y.Error(keyNode, $"{what}: '{key}': the generate stage is a scorer + decoder; name the component: {string.Join(", ", present.Select(p => $"generate.{p}.<param>"))}");
                return null;
            }

            part = parts[1];
            first = 2;
        }

        if (TuneAxis.Component(stage, part) is not { } component)
        {
            y.Error(keyNode, $"{what}: '{key}': stage '{stage.Kind}' has no component params to tune");
            return null;
        }

        if (parts.Length <= first || parts.Skip(first).Any(p => p.Length == 0))
        {
            y.Error(keyNode, $"{what}: '{key}' names no param; write {string.Join(".", parts.Take(first))}.<param>, a key of the component's params");
            return null;
        }

        if (component.Spec.Checkpoint is { } checkpoint)
        {
            y.Error(keyNode, $"{what}: '{key}' varies a component with a fixed checkpoint ({checkpoint}); every variant would share it: drop 'checkpoint' to tune it");
            return null;
        }

        return new TuneAxis(key, index, part, [.. parts.Skip(first)], values, y.At(keyNode));
    }
}
