using System.Collections.Immutable;
using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;
using Rerank.Simulation.Datasets;

namespace Rerank.Evaluation.Experiments;

/// <summary>An experiment: a dataset, pipelines to compare, and how to evaluate them.</summary>
/// <param name="Name">Experiment name.</param>
/// <param name="Description">Optional description.</param>
/// <param name="Seed">The seed every random choice derives from (with <c>seeds:</c>, the first of them).</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Evaluation">Evaluation options.</param>
/// <param name="Pipelines">Pipelines, in report order.</param>
/// <param name="File">The experiment file.</param>
/// <param name="Evaluators">Evaluators whose quality is measured on the held-out logs (the <c>evaluators:</c> block).</param>
/// <param name="Seeds">The <c>seeds:</c> list: the whole run (data, training, evaluation) is repeated under each; default: just <paramref name="Seed"/>.</param>
/// <param name="Tuning">The <c>tune:</c> blocks of the pipeline entries that have one (at most one per pipeline).</param>
/// <param name="CheckpointVariant">
/// A folder inserted before the file name of every checkpoint (<c>checkpoint:</c> paths too, before the seed's folder) when
/// the data differ from the file's (<c>rerank run --set</c>), so a run on other data neither loads nor overwrites the
/// checkpoints trained on the file's; null otherwise.
/// </param>
public sealed record ExperimentSpec(
    string Name,
    string? Description,
    ulong Seed,
    DatasetSpec Dataset,
    EvaluationOptions Evaluation,
    ImmutableArray<PipelineSpec> Pipelines,
    string File,
    ImmutableArray<NamedComponentSpec> Evaluators = default,
    ImmutableArray<ulong> Seeds = default,
    ImmutableArray<TuneSpec> Tuning = default,
    string? CheckpointVariant = null)
{
    /// <summary>The seeds the experiment runs under, in order: <see cref="Seeds"/>, or <see cref="Seed"/> alone.</summary>
    public IReadOnlyList<ulong> RunSeeds => Seeds.IsDefaultOrEmpty ? [Seed] : Seeds;

    /// <summary>The <c>tune:</c> block of pipeline <paramref name="pipeline"/>, or null when it is not tuned.</summary>
    public TuneSpec? TuneOf(string pipeline) => Tuning.IsDefault ? null : Tuning.FirstOrDefault(t => t.Pipeline == pipeline);
}

/// <summary>A component listed by name outside a pipeline (e.g. an evaluator to assess).</summary>
/// <param name="Name">The row name in results.</param>
/// <param name="Component">The component.</param>
public sealed record NamedComponentSpec(string Name, ComponentSpec Component);
