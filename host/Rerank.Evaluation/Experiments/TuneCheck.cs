using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Binds every value of every grid key against its component's options type, as compiling the pipeline would, so that
/// an unknown param, an ill-typed value or one out of range is an error naming the key and the value at its
/// file:line:column (used by <c>rerank validate</c> and before <c>rerank run</c> builds anything).
/// </summary>
internal static class TuneCheck
{
    /// <summary>Checks <paramref name="tune"/> on <paramref name="pipeline"/>; a component whose own params fail is left to the pipeline's errors.</summary>
    public static void Check(TuneSpec tune, PipelineSpec pipeline, ComponentFactory factory, ICollection<ConfigError> errors)
    {
        var what = $"pipeline '{pipeline.Name}', tune";
        foreach (var axis in tune.Grid)
        {
            var stage = pipeline.Stages[axis.Stage];
            var (kind, spec) = TuneAxis.Component(stage, axis.Part)!.Value;
            if (factory.Check(kind, spec, new List<ConfigError>()) is null)
            {
                continue; // the pipeline's own error says why
            }

            foreach (var value in axis.Values)
            {
                var found = new List<ConfigError>();
                var (_, variant) = TuneAxis.Component(axis.Apply(stage, value), axis.Part)!.Value;
                factory.Check(kind, variant, found);
                if (found.Any(e => e.Location == axis.Location))
                {
                    // The key itself is wrong (an unknown param): once, at the key, whatever the value.
                    errors.Add(new ConfigError(axis.Location, $"{what}: '{axis.Key}': {found.First(e => e.Location == axis.Location).Message}"));
                    break;
                }

                foreach (var e in found)
                {
                    errors.Add(new ConfigError(value.Location, $"{what}: {axis.Key} = {TuneSpec.Display(value)}: {e.Message}"));
                }
            }
        }
    }
}
