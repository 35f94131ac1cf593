using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>How the <c>prior</c> scorer turns a prior value p into a step score.</summary>
public enum PriorTransform
{
    /// <summary>The value itself: a slate's score is the sum of its priors.</summary>
    Raw,

    /// <summary><c>log(max(p, 1e-6))</c>: a slate's score is the log of the product of its priors.</summary>
    Log,
}

/// <summary>Options of the <c>prior</c> scorer: a static item score read from one ranking-stage prior (kind ItemScore).</summary>
public sealed class PriorScorerOptions : IValidatableOptions
{
    /// <summary>Name of the prior, as listed in the schema's prior names (YAML <c>prior</c>, default <c>ctr</c>).</summary>
    public string Prior { get; set; } = "ctr";

    /// <summary><c>raw</c> (default) or <c>log</c> (YAML <c>transform</c>).</summary>
    public PriorTransform Transform { get; set; } = PriorTransform.Raw;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Prior))
        {
            yield return "prior must name one of the schema's priors (e.g. ctr), got an empty name";
        }
    }
}
