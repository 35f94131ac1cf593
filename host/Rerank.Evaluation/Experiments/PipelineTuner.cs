using System.Collections.Immutable;
using Rerank.Abstractions;
using Rerank.Evaluation.Metrics;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>A pipeline of an experiment as compiled: one variant, or with <c>tune:</c> one per grid point (in grid order).</summary>
/// <param name="Spec">The pipeline as written.</param>
/// <param name="Tune">Its <c>tune:</c> block, or null.</param>
/// <param name="Variants">The compiled pipeline, or one per grid point.</param>
/// <param name="Points">The grid points of <paramref name="Variants"/> (empty when not tuned).</param>
internal sealed record PipelineVariants(PipelineSpec Spec, TuneSpec? Tune, IReadOnlyList<CompiledPipeline> Variants, IReadOnlyList<ImmutableArray<ParamNode>> Points);

/// <summary>
/// Tuning on validation: compiles a tuned pipeline once per grid point (params set on top of its own; variants that
/// differ only in an untrained component share every other component, as the factory shares equal ones), runs each over
/// the validation requests through the batched path of <see cref="PipelineRunner"/> and keeps the point of best mean
/// exact expected utility, ties going to the first point in grid order.
/// </summary>
internal static class PipelineTuner
{
    /// <summary>
    /// Compiles every pipeline of <paramref name="spec"/> (every grid point of a tuned one) with <paramref name="factory"/>;
    /// throws one <see cref="ConfigException"/> with every error (grid values included) when anything fails.
    /// </summary>
    public static IReadOnlyList<PipelineVariants> CompileAll(ExperimentSpec spec, ComponentFactory factory)
    {
        var errors = new List<ConfigError>();
        var result = new List<PipelineVariants>();
        foreach (var pipeline in spec.Pipelines)
        {
            if (spec.TuneOf(pipeline.Name) is not { } tune)
            {
                result.Add(new PipelineVariants(pipeline, null, [PipelineCompiler.Compile(pipeline, factory, errors)!], []));
                continue;
            }

            var before = errors.Count;
            TuneCheck.Check(tune, pipeline, factory, errors);
            if (errors.Count > before)
            {
                continue;
            }

            var points = tune.Points().ToList();
            var variants = points.Select(p => PipelineCompiler.Compile(tune.Apply(pipeline, p), factory, errors)).ToList();
            result.Add(new PipelineVariants(pipeline, tune, [.. variants.Select(v => v!)], points));
        }

        return errors.Count > 0 ? throw new ConfigException([.. errors.Distinct()]) : result;
    }

    /// <summary>
    /// Scores every variant on <paramref name="validation"/> and returns the index of the best (first in grid order on
    /// ties) with every variant's score; throws <see cref="PipelineException"/> when there are no validation requests or
    /// they carry no ground truth.
    /// </summary>
    public static (int Best, double[] Scores) Search(PipelineVariants pipeline, FeatureSchema schema, IReadOnlyList<RerankRequest> validation, int batchSize, RerankContext context, IProgress<double>? progress)
    {
        var name = pipeline.Spec.Name;
        if (validation.Count == 0)
        {
            throw new PipelineException($"pipeline '{name}': tune needs validation requests, and the dataset has none (give it validation requests, or drop 'tune')");
        }

        if (validation.Any(r => r.GroundTruth is null))
        {
            throw new PipelineException($"pipeline '{name}': tune maximises the exact expected utility, and this dataset's validation requests carry no ground truth (only simulator data does); drop 'tune' and set the params by hand");
        }

        var scores = new double[pipeline.Variants.Count];
        for (var v = 0; v < scores.Length; v++)
        {
            var done = v * validation.Count;
            var slates = PipelineRunner.Batched(pipeline.Variants[v], schema, validation, batchSize, context, null, progress is null ? null : new Offset(progress, done));
            scores[v] = ListMetrics.ExpectedUtilities(validation, slates).Average();
        }

        var best = 0;
        for (var v = 1; v < scores.Length; v++)
        {
            best = scores[v] > scores[best] ? v : best;
        }

        return (best, scores);
    }

    /// <summary>The choice of one run: the best point's values as written, its score and how many requests scored it.</summary>
    public static TuningChoice Choice(TuneSpec tune, ImmutableArray<ParamNode> point, double score, int requests, ulong seed) =>
        new(seed, requests, [.. tune.Grid.Select((axis, a) => new KeyValuePair<string, string>(axis.Key, TuneSpec.Display(point[a])))], score);

    /// <summary>Progress of one variant, shifted by the units of the variants before it.</summary>
    private sealed class Offset(IProgress<double> inner, double offset) : IProgress<double>
    {
        public void Report(double value) => inner.Report(offset + value);
    }
}
