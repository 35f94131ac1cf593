using System.Collections.Immutable;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;

namespace Rerank.Runtime.Pipelines;

/// <summary>Turns validated specs into frozen pipelines: resolves every component reference and binds every params block, collecting all errors.</summary>
public static class PipelineCompiler
{
    /// <summary>Compiles one pipeline; returns null (with errors added) when anything cannot be resolved or bound.</summary>
    public static CompiledPipeline? Compile(PipelineSpec spec, ComponentFactory factory, ICollection<ConfigError> errors)
    {
        var before = errors.Count;
        var stages = ImmutableArray.CreateBuilder<CompiledStage>();
        foreach (var stage in spec.Stages)
        {
            BuiltComponent? Build(ComponentKind kind, ComponentSpec? component) =>
                component is null ? null : factory.Build(kind, component, errors);

            switch (stage)
            {
                case GenerateStageSpec g:
                    var generator = Build(ComponentKind.Generator, g.Generator);
                    var scorer = Build(ComponentKind.Scorer, g.Scorer);
                    var decoder = Build(ComponentKind.Decoder, g.Decoder);
                    var diversifier = Build(ComponentKind.Diversifier, g.Diversifier);
                    stages.Add(new GenerateStage(g, generator, scorer, decoder, diversifier));
                    break;
                case EvaluateStageSpec e:
                    if (Build(ComponentKind.Evaluator, e.Evaluator) is { } evaluator)
                    {
                        stages.Add(new EvaluateStage(e, evaluator));
                    }

                    break;
                case DiversifyStageSpec d:
                    if (Build(ComponentKind.Diversifier, d.Diversifier) is { } div)
                    {
                        stages.Add(new DiversifyStage(d, div));
                    }

                    break;
                case TruncateStageSpec t:
                    stages.Add(new TruncateStage(t));
                    break;
            }
        }

        return errors.Count == before ? new CompiledPipeline(spec, stages.ToImmutable()) : null;
    }

    /// <summary>Compiles every pipeline, throwing one <see cref="ConfigException"/> with all errors when any fails.</summary>
    public static IReadOnlyList<CompiledPipeline> CompileAll(IEnumerable<PipelineSpec> specs, ComponentFactory factory)
    {
        var errors = new List<ConfigError>();
        var compiled = specs.Select(s => Compile(s, factory, errors)).ToList();
        return errors.Count > 0 ? throw new ConfigException(errors) : [.. compiled.Select(c => c!)];
    }
}
