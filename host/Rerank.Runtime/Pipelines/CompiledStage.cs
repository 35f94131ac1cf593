using Rerank.Abstractions;

namespace Rerank.Runtime.Pipelines;

/// <summary>A resolved, immutable stage: slates of every request in, slates out.</summary>
public abstract class CompiledStage
{
    /// <summary>A stage compiled from <paramref name="spec"/>.</summary>
    private protected CompiledStage(StageSpec spec)
    {
        Spec = spec;
    }

    /// <summary>The spec it was compiled from.</summary>
    public StageSpec Spec { get; }

    /// <summary>The stage kind (<c>generate</c>, <c>evaluate</c>, <c>diversify</c>, <c>truncate</c>).</summary>
    public string Kind => Spec.Kind;

    /// <summary>The components the stage uses (for descriptions, training and the report).</summary>
    public abstract IReadOnlyList<(string Role, BuiltComponent Component)> Components { get; }

    /// <summary>Runs the stage; <paramref name="input"/> is null for the first stage.</summary>
    public abstract IReadOnlyList<Slate>[] Apply(RerankBatch batch, IReadOnlyList<Slate>[]? input, RerankContext context);

    /// <summary>One line per stage for resolved-graph listings (golden files, report).</summary>
    public virtual string Describe() =>
        Kind + (Components.Count == 0 ? "" : ": " + string.Join(", ", Components.Select(c => $"{c.Role}={c.Component.Registration.Reference}")));
}

/// <summary>Generate with a generator, or with a scorer driven by a decoder (and an optional in-decoding diversifier).</summary>
internal sealed class GenerateStage : CompiledStage
{
    private readonly GenerateStageSpec _spec;
    private readonly IGenerator? _generator;
    private readonly IStepScorer? _scorer;
    private readonly IDecoder? _decoder;
    private readonly IDiversifier? _diversifier;

    public GenerateStage(GenerateStageSpec spec, BuiltComponent? generator, BuiltComponent? scorer, BuiltComponent? decoder, BuiltComponent? diversifier)
        : base(spec)
    {
        _spec = spec;
        _generator = generator?.Instance as IGenerator;
        _scorer = scorer?.Instance as IStepScorer;
        _decoder = decoder?.Instance as IDecoder;
        _diversifier = diversifier?.Instance as IDiversifier;
        var parts = new List<(string, BuiltComponent)>();
        Add(parts, "generator", generator);
        Add(parts, "scorer", scorer);
        Add(parts, "decoder", decoder);
        Add(parts, "diversifier", diversifier);
        Components = parts;
    }

    public override IReadOnlyList<(string Role, BuiltComponent Component)> Components { get; }

    public override IReadOnlyList<Slate>[] Apply(RerankBatch batch, IReadOnlyList<Slate>[]? input, RerankContext context) =>
        _generator is not null
            ? _generator.Generate(batch, _spec.Count, context)
            : _decoder!.Decode(batch, _scorer!, _diversifier, _spec.Count, context);

    public override string Describe() => base.Describe() + $" (count {_spec.Count})";

    private static void Add(List<(string, BuiltComponent)> parts, string role, BuiltComponent? component)
    {
        if (component is not null)
        {
            parts.Add((role, component));
        }
    }
}

/// <summary>Evaluates the K slates of each request and keeps the best (first on ties), scored by the evaluator.</summary>
internal sealed class EvaluateStage : CompiledStage
{
    private readonly BuiltComponent _evaluator;

    public EvaluateStage(EvaluateStageSpec spec, BuiltComponent evaluator)
        : base(spec)
    {
        _evaluator = evaluator;
        Components = [("evaluator", evaluator)];
    }

    public override IReadOnlyList<(string Role, BuiltComponent Component)> Components { get; }

    public override IReadOnlyList<Slate>[] Apply(RerankBatch batch, IReadOnlyList<Slate>[]? input, RerankContext context)
    {
        var slates = input!;
        var values = ((IEvaluator)_evaluator.Instance).Evaluate(batch, slates, context);
        if (values.Length != batch.Count)
        {
            throw new PipelineException($"evaluator '{_evaluator.Registration.Reference}' returned values for {values.Length} requests; the batch has {batch.Count}");
        }

        var best = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            if (values[b].Length != slates[b].Count)
            {
                throw new PipelineException($"evaluator '{_evaluator.Registration.Reference}' returned {values[b].Length} values for the {slates[b].Count} slates of request '{batch.Requests[b].RequestId}'");
            }

            var k = 0;
            for (var i = 1; i < values[b].Length; i++)
            {
                if (values[b][i] > values[b][k])
                {
                    k = i;
                }
            }

            best[b] = [slates[b][k].WithScore(values[b][k])];
        }

        return best;
    }
}

/// <summary>Post-pass diversification of each request's best slate.</summary>
internal sealed class DiversifyStage : CompiledStage
{
    private readonly DiversifyStageSpec _spec;
    private readonly IDiversifier _diversifier;

    public DiversifyStage(DiversifyStageSpec spec, BuiltComponent diversifier)
        : base(spec)
    {
        _spec = spec;
        _diversifier = (IDiversifier)diversifier.Instance;
        Components = [("diversifier", diversifier)];
    }

    public override IReadOnlyList<(string Role, BuiltComponent Component)> Components { get; }

    public override IReadOnlyList<Slate>[] Apply(RerankBatch batch, IReadOnlyList<Slate>[]? input, RerankContext context)
    {
        var result = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var best = input![b][0];
            var size = Math.Min(_spec.Size ?? batch.SlateSizes[b], best.Count);
            result[b] = [_diversifier.Diversify(batch, b, best, size)];
        }

        return result;
    }

    public override string Describe() => base.Describe() + (_spec.Size is { } s ? $" (size {s})" : "");
}

/// <summary>Cuts each request's best slate to a size (default L).</summary>
internal sealed class TruncateStage : CompiledStage
{
    private readonly TruncateStageSpec _spec;

    public TruncateStage(TruncateStageSpec spec)
        : base(spec)
    {
        _spec = spec;
    }

    public override IReadOnlyList<(string Role, BuiltComponent Component)> Components => [];

    public override IReadOnlyList<Slate>[] Apply(RerankBatch batch, IReadOnlyList<Slate>[]? input, RerankContext context)
    {
        var result = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            result[b] = [input![b][0].Truncate(_spec.Size ?? batch.SlateSizes[b])];
        }

        return result;
    }

    public override string Describe() => base.Describe() + (_spec.Size is { } s ? $" (size {s})" : " (size L)");
}
