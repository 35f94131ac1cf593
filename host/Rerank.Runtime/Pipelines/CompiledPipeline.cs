using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rerank.Abstractions;

namespace Rerank.Runtime.Pipelines;

/// <summary>The result of running a pipeline on a batch: one slate of L items per request, and where the time went.</summary>
/// <param name="Slates">The final slate of each request.</param>
/// <param name="StageTimes">Wall time of each stage for the whole batch.</param>
public sealed record PipelineRun(Slate[] Slates, TimeSpan[] StageTimes);

/// <summary>
/// A validated, resolved and frozen pipeline. Running it checks every stage's output against the slate contract
/// (valid candidate indices, no repeats, at least one slate per request) so a faulty plugin is named, not trusted.
/// </summary>
public sealed class CompiledPipeline
{
    internal CompiledPipeline(PipelineSpec spec, ImmutableArray<CompiledStage> stages)
    {
        Spec = spec;
        Stages = stages;
    }

    /// <summary>The spec it was compiled from.</summary>
    public PipelineSpec Spec { get; }

    /// <summary>The pipeline's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The stages, in order.</summary>
    public ImmutableArray<CompiledStage> Stages { get; }

    /// <summary>Every distinct component of the pipeline.</summary>
    public IEnumerable<BuiltComponent> Components => Stages.SelectMany(s => s.Components).Select(c => c.Component).Distinct();

    /// <summary>Runs the pipeline on a batch of valid requests.</summary>
    public PipelineRun Run(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<Slate>[]? slates = null;
        var times = new TimeSpan[Stages.Length];
        for (var s = 0; s < Stages.Length; s++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var stage = Stages[s];
            var start = Stopwatch.GetTimestamp();
            try
            {
                slates = stage.Apply(batch, slates, context);
            }
            catch (Exception e) when (e is not (PipelineException or OperationCanceledException))
            {
                throw new PipelineException($"pipeline '{Name}', stage {s + 1} ({stage.Describe()}): {e.GetType().Name}: {e.Message}", e);
            }

            times[s] = Stopwatch.GetElapsedTime(start);
            Check(batch, slates, s, stage);
        }

        var final = new Slate[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var best = slates![b][0];
            var size = batch.SlateSizes[b];
            if (best.Count < size)
            {
                throw new PipelineException($"pipeline '{Name}': request '{batch.Requests[b].RequestId}' ended with {best.Count} items; its slate size is {size}");
            }

            final[b] = best.Truncate(size);
            if (NonFinite(final[b]) is { } bad)
            {
                var last = Stages.Length;
                throw new PipelineException($"pipeline '{Name}', stage {last} ({Stages[last - 1].Describe()}), request '{batch.Requests[b].RequestId}': {bad}; scores must be finite numbers");
            }
        }

        return new PipelineRun(final, times);
    }

    /// <summary>The resolved graph, one stage per line, with plugin versions and the full options of each component.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("pipeline ").Append(Name).Append('\n');
        for (var s = 0; s < Stages.Length; s++)
        {
            sb.Append("  ").Append(s + 1).Append(". ").Append(Stages[s].Describe()).Append('\n');
            foreach (var (role, component) in Stages[s].Components)
            {
                var yaml = component.ParamsYaml.TrimEnd('\n');
                if (yaml != "{}")
                {
                    sb.Append("       ").Append(role).Append(" params:\n");
                    foreach (var line in yaml.Split('\n'))
                    {
                        sb.Append("         ").Append(line).Append('\n');
                    }
                }

                if (component.Spec.Checkpoint is { } checkpoint)
                {
                    sb.Append("       ").Append(role).Append(" checkpoint: ").Append(Path.GetFileName(checkpoint)).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Describes a NaN or infinite slate score or item score of a served slate, or null when all are finite.</summary>
    private static string? NonFinite(Slate slate)
    {
        if (!double.IsFinite(slate.Score))
        {
            return $"the slate score is {slate.Score.ToString(CultureInfo.InvariantCulture)}";
        }

        var scores = slate.ItemScores;
        for (var k = 0; scores is not null && k < scores.Length; k++)
        {
            if (!float.IsFinite(scores[k]))
            {
                return $"the item score at position {k + 1} is {scores[k].ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }

    private void Check(RerankBatch batch, IReadOnlyList<Slate>[]? slates, int s, CompiledStage stage)
    {
        string Where(int b) => $"pipeline '{Name}', stage {s + 1} ({stage.Describe()}), request '{batch.Requests[b].RequestId}'";
        if (slates is null || slates.Length != batch.Count)
        {
            throw new PipelineException($"pipeline '{Name}', stage {s + 1} ({stage.Describe()}) returned slates for {slates?.Length ?? 0} requests; the batch has {batch.Count}");
        }

        Span<bool> seen = stackalloc bool[Math.Max(1, batch.MaxCandidates)];
        for (var b = 0; b < batch.Count; b++)
        {
            if (slates[b] is null || slates[b].Count == 0)
            {
                throw new PipelineException($"{Where(b)}: no slate was produced");
            }

            var n = batch.CandidateCounts[b];
            foreach (var slate in slates[b])
            {
                seen.Clear();
                foreach (var i in slate.Indices)
                {
                    if ((uint)i >= (uint)n)
                    {
                        throw new PipelineException($"{Where(b)}: candidate index {i} is out of range (N = {n})");
                    }

                    if (seen[i])
                    {
                        throw new PipelineException($"{Where(b)}: candidate '{batch.Requests[b].Candidates[i].Id}' appears twice in a slate");
                    }

                    seen[i] = true;
                }
            }
        }
    }
}
