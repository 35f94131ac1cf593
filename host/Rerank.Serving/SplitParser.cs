using System.Collections.Immutable;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Rerank.Serving;

/// <summary>
/// Reads <c>splits.yaml</c>: <c>splits: [{name, salt?, arms: [{pipeline, weight, name?}]}]</c>. Arms must name loaded
/// pipelines, weights must be positive, and a split's name must not shadow a pipeline.
/// </summary>
public static class SplitParser
{
    /// <summary>The traffic-split file's name inside the pipelines folder.</summary>
    public const string FileName = "splits.yaml";

    internal static IReadOnlyList<TrafficSplit> Read(string path, IReadOnlySet<string> pipelines, ICollection<ConfigError> errors)
    {
        var display = PipelineParser.DisplayPath(path);
        var root = YamlReader.Load(path, display, errors);
        if (root is null)
        {
            return [];
        }

        var y = new YamlReader(display, errors);
        y.CheckKeys(root, "splits.yaml", "splits");
        var result = new List<TrafficSplit>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (y.Sequence(y.Get(root, "splits"), "splits.yaml: splits") is not { } seq)
        {
            if (y.Get(root, "splits") is null)
            {
                y.Error(root, "splits.yaml: 'splits' is required (a sequence of {name, arms})");
            }

            return result;
        }

        foreach (var node in seq.Children)
        {
            if (y.Mapping(node, "splits.yaml: each split") is not { } map)
            {
                continue;
            }

            y.CheckKeys(map, "split", "name", "salt", "arms");
            var name = y.String(map, "name", "split", required: true);
            if (name is null)
            {
                continue;
            }

            var what = $"split '{name}'";
            if (!names.Add(name))
            {
                y.Error(map, $"{what} is defined twice");
            }

            if (pipelines.Contains(name))
            {
                y.Error(map, $"{what} has the name of a pipeline; give the alias its own name");
            }

            var arms = ImmutableArray.CreateBuilder<SplitArm>();
            if (y.Sequence(y.Get(map, "arms"), $"{what}: arms") is { } armSeq)
            {
                foreach (var armNode in armSeq.Children)
                {
                    if (Arm(y, armNode, what, pipelines) is { } arm)
                    {
                        arms.Add(arm);
                    }
                }
            }
            else if (y.Get(map, "arms") is null)
            {
                y.Error(map, $"{what}: 'arms' is required");
            }

            if (arms.Count == 0)
            {
                continue;
            }

            if (arms.Select(a => a.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != arms.Count)
            {
                y.Error(map, $"{what}: arm names must be distinct (give 'name' to arms that route to the same pipeline)");
            }

            result.Add(new TrafficSplit(name, y.String(map, "salt", what) ?? name, arms.ToImmutable(), y.At(map)));
        }

        return result;
    }

    private static SplitArm? Arm(YamlReader y, YamlNode node, string what, IReadOnlySet<string> pipelines)
    {
        if (y.Mapping(node, $"{what}: each arm") is not { } arm)
        {
            return null;
        }

        y.CheckKeys(arm, $"{what}: arm", "pipeline", "weight", "name");
        var pipeline = y.String(arm, "pipeline", $"{what}: arm", required: true);
        var weight = Weight(y, arm, what);
        if (pipeline is not null && !pipelines.Contains(pipeline))
        {
            y.Error(y.Get(arm, "pipeline")!, $"{what}: arm pipeline '{pipeline}' is not loaded; pipelines: {(pipelines.Count == 0 ? "(none)" : string.Join(", ", pipelines.Order(StringComparer.Ordinal)))}");
            return null;
        }

        return pipeline is null || weight is null ? null : new SplitArm(y.String(arm, "name", $"{what}: arm") ?? pipeline, pipeline, weight.Value);
    }

    /// <summary>The largest arm weight (weights are relative: 1e6 already makes an arm of weight 1 one in a million).</summary>
    public const int MaxWeight = 1_000_000;

    private static double? Weight(YamlReader y, YamlMappingNode arm, string what)
    {
        var node = y.Get(arm, "weight");
        if (node is null)
        {
            y.Error(arm, $"{what}: arm 'weight' is required");
            return null;
        }

        var text = (node as YamlScalarNode)?.Value?.TrimEnd('%');
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w > 0 && w <= MaxWeight)
        {
            return w;
        }

        y.Error(node, $"{what}: arm weight must be in (0, {MaxWeight}] (relative; a trailing % is allowed), got '{(node as YamlScalarNode)?.Value}'");
        return null;
    }
}
