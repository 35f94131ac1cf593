using System.Collections.Immutable;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// A pipeline entry's <c>tune:</c> block: a grid of param values searched on the validation requests, the best point
/// (by <see cref="Metric"/>) then evaluated on the test requests as the pipeline's row.
/// </summary>
/// <param name="Pipeline">The pipeline tuned.</param>
/// <param name="Metric">What is maximised (for now only <c>utility</c>, the mean exact expected utility of the slates).</param>
/// <param name="Grid">One axis per grid key, in the order written.</param>
/// <param name="Location">Where the <c>tune:</c> block is.</param>
public sealed record TuneSpec(string Pipeline, string Metric, ImmutableArray<TuneAxis> Grid, SourceLocation Location)
{
    /// <summary>The metrics a grid can be searched by.</summary>
    public static readonly ImmutableArray<string> Metrics = ["utility"];

    /// <summary>The most combinations a grid may have.</summary>
    public const int MaxPoints = 256;

    /// <summary>The number of grid points (the product of the axes' lengths).</summary>
    public int PointCount => Grid.Aggregate(1, (n, axis) => n * axis.Values.Length);

    /// <summary>
    /// Every grid point, in grid order: the Cartesian product of the axes with the first key varying slowest and the last
    /// fastest (as nested loops in the order written); each point holds one value per axis.
    /// </summary>
    public IEnumerable<ImmutableArray<ParamNode>> Points()
    {
        var count = PointCount;
        for (var p = 0; p < count; p++)
        {
            var values = new ParamNode[Grid.Length];
            var rest = p;
            for (var a = Grid.Length - 1; a >= 0; a--)
            {
                values[a] = Grid[a].Values[rest % Grid[a].Values.Length];
                rest /= Grid[a].Values.Length;
            }

            yield return [.. values];
        }
    }

    /// <summary><paramref name="pipeline"/> with the params of <paramref name="point"/> set on top of its own (one value per axis).</summary>
    public PipelineSpec Apply(PipelineSpec pipeline, IReadOnlyList<ParamNode> point)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(point);
        var stages = pipeline.Stages.ToBuilder();
        for (var a = 0; a < Grid.Length; a++)
        {
            stages[Grid[a].Stage] = Grid[a].Apply(stages[Grid[a].Stage], point[a]);
        }

        return pipeline with { Stages = stages.ToImmutable() };
    }

    /// <summary>A grid value as the reports show it: the scalar as written, a sequence as <c>[a, b]</c>.</summary>
    public static string Display(ParamNode value) => value switch
    {
        ParamScalar { Value: null } => "null",
        ParamScalar s => s.Value!,
        ParamSequence q => "[" + string.Join(", ", q.Items.Select(Display)) + "]",
        ParamMapping m => "{" + string.Join(", ", m.Entries.Select(e => $"{e.Key}: {Display(e.Value)}")) + "}",
        _ => "?",
    };

    /// <summary>A value's identity for duplicate checks: numbers compare by value (<c>0.3</c> = <c>0.30</c>), the rest by text.</summary>
    internal static string Identity(ParamNode value) => value switch
    {
        ParamScalar { Value: { } s } when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        ParamSequence q => "[" + string.Join(",", q.Items.Select(Identity)) + "]",
        _ => Display(value),
    };
}

/// <summary>One key of a <c>tune: grid:</c>: which param of which component it sets, and the values it takes.</summary>
/// <param name="Key">The key as written: <c>stage.param</c>, or <c>generate.scorer.param</c> (also <c>decoder</c>, <c>diversifier</c>) for a scorer + decoder stage.</param>
/// <param name="Stage">Index of the stage in the pipeline.</param>
/// <param name="Part">For a scorer + decoder generate stage, <c>scorer</c>, <c>decoder</c> or <c>diversifier</c>; null for the stage's one component.</param>
/// <param name="Param">The param's path in the component's <c>params:</c> (nested options give several keys).</param>
/// <param name="Values">The values, in the order written.</param>
/// <param name="Location">Where the key is written.</param>
public sealed record TuneAxis(string Key, int Stage, string? Part, ImmutableArray<string> Param, ImmutableArray<ParamNode> Values, SourceLocation Location)
{
    /// <summary>The component this axis sets a param of, and the kind it is used as; null when the stage has none there.</summary>
    public static (ComponentKind Kind, ComponentSpec Spec)? Component(StageSpec stage, string? part) => (stage, part) switch
    {
        (GenerateStageSpec { Generator: { } g }, null) => (ComponentKind.Generator, g),
        (GenerateStageSpec { Scorer: { } s }, "scorer") => (ComponentKind.Scorer, s),
        (GenerateStageSpec { Decoder: { } d }, "decoder") => (ComponentKind.Decoder, d),
        (GenerateStageSpec { Diversifier: { } d }, "diversifier") => (ComponentKind.Diversifier, d),
        (EvaluateStageSpec e, null) => (ComponentKind.Evaluator, e.Evaluator),
        (DiversifyStageSpec d, null) => (ComponentKind.Diversifier, d.Diversifier),
        _ => null,
    };

    /// <summary><paramref name="stage"/> with this axis's param set to <paramref name="value"/> (its key located at <see cref="Location"/>).</summary>
    public StageSpec Apply(StageSpec stage, ParamNode value)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var (_, spec) = Component(stage, Part) ?? throw new InvalidOperationException($"tune key '{Key}' names no component of stage '{stage.Kind}'");
        var component = spec with { Params = Set(spec.Params ?? new ParamMapping([], spec.Location), 0, value) };
        return (stage, Part) switch
        {
            (GenerateStageSpec g, null) => g with { Generator = component },
            (GenerateStageSpec g, "scorer") => g with { Scorer = component },
            (GenerateStageSpec g, "decoder") => g with { Decoder = component },
            (GenerateStageSpec g, _) => g with { Diversifier = component },
            (EvaluateStageSpec e, _) => e with { Evaluator = component },
            (DiversifyStageSpec d, _) => d with { Diversifier = component },
            _ => stage,
        };
    }

    private ParamMapping Set(ParamMapping mapping, int depth, ParamNode value)
    {
        var key = Param[depth];
        var entries = mapping.Entries.ToBuilder();
        var index = -1;
        for (var i = 0; i < entries.Count && index < 0; i++)
        {
            index = string.Equals(entries[i].Key, key, StringComparison.Ordinal) ? i : -1;
        }

        ParamNode node = depth == Param.Length - 1
            ? value
            : Set(index >= 0 && entries[index].Value is ParamMapping inner ? inner : new ParamMapping([], Location), depth + 1, value);
        var entry = new ParamEntry(key, Location, node);
        if (index >= 0)
        {
            entries[index] = entry;
        }
        else
        {
            entries.Add(entry);
        }

        return mapping with { Entries = entries.ToImmutable() };
    }
}
