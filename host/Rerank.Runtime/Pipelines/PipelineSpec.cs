using System.Collections.Immutable;
using Rerank.Abstractions;

namespace Rerank.Runtime.Pipelines;

/// <summary>A component as YAML references it: <c>use: plugin@range/name</c>, its <c>params:</c> and an optional checkpoint.</summary>
/// <param name="Reference">The reference as written.</param>
/// <param name="Params">The params mapping (bound by the plugin's options type), or null.</param>
/// <param name="Checkpoint">A safetensors file to load (or to save to after training), or null.</param>
/// <param name="Location">Where the component is written.</param>
/// <param name="Device">The YAML <c>device:</c> (cpu or cuda), or null for the CPU.</param>
public sealed record ComponentSpec(string Reference, ParamMapping? Params, string? Checkpoint, SourceLocation Location, string? Device = null);

/// <summary>One stage of a pipeline.</summary>
public abstract record StageSpec(SourceLocation Location)
{
    /// <summary>The YAML word of the stage.</summary>
    public abstract string Kind { get; }
}

/// <summary>
/// <c>generate</c>: either a generator (<c>use:</c>) or a scorer driven by a decoder (<c>scorer:</c> + <c>decoder:</c>,
/// optionally with an in-decoding <c>diversifier:</c>); produces <see cref="Count"/> slates per request.
/// </summary>
public sealed record GenerateStageSpec(ComponentSpec? Generator, ComponentSpec? Scorer, ComponentSpec? Decoder, ComponentSpec? Diversifier, int Count, SourceLocation Location)
    : StageSpec(Location)
{
    /// <inheritdoc />
    public override string Kind => "generate";
}

/// <summary><c>evaluate</c>: scores the K slates with an evaluator and keeps the best.</summary>
public sealed record EvaluateStageSpec(ComponentSpec Evaluator, SourceLocation Location) : StageSpec(Location)
{
    /// <inheritdoc />
    public override string Kind => "evaluate";
}

/// <summary><c>diversify</c>: a post-pass over the best slate that picks <see cref="Size"/> items (default: the request's L).</summary>
public sealed record DiversifyStageSpec(ComponentSpec Diversifier, int? Size, SourceLocation Location) : StageSpec(Location)
{
    /// <inheritdoc />
    public override string Kind => "diversify";
}

/// <summary><c>truncate</c>: cuts the best slate to <see cref="Size"/> items (default: the request's L).</summary>
public sealed record TruncateStageSpec(int? Size, SourceLocation Location) : StageSpec(Location)
{
    /// <inheritdoc />
    public override string Kind => "truncate";
}

/// <summary>A pipeline: a name and its stages, as parsed from YAML (immutable; validated before compiling).</summary>
/// <param name="Name">Unique pipeline name.</param>
/// <param name="Description">Optional one-line description.</param>
/// <param name="Stages">Stages in execution order.</param>
/// <param name="Location">Where the pipeline is defined.</param>
public sealed record PipelineSpec(string Name, string? Description, ImmutableArray<StageSpec> Stages, SourceLocation Location)
{
    /// <summary>Every component the pipeline references, with the kind it is used as.</summary>
    public IEnumerable<(ComponentKind Kind, ComponentSpec Spec)> Components()
    {
        foreach (var stage in Stages)
        {
            switch (stage)
            {
                case GenerateStageSpec g:
                    if (g.Generator is not null)
                    {
                        yield return (ComponentKind.Generator, g.Generator);
                    }

                    if (g.Scorer is not null)
                    {
                        yield return (ComponentKind.Scorer, g.Scorer);
                    }

                    if (g.Decoder is not null)
                    {
                        yield return (ComponentKind.Decoder, g.Decoder);
                    }

                    if (g.Diversifier is not null)
                    {
                        yield return (ComponentKind.Diversifier, g.Diversifier);
                    }

                    break;
                case EvaluateStageSpec e:
                    yield return (ComponentKind.Evaluator, e.Evaluator);
                    break;
                case DiversifyStageSpec d:
                    yield return (ComponentKind.Diversifier, d.Diversifier);
                    break;
            }
        }
    }
}
