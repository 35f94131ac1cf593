using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>How long the <c>initial</c> generator's slate is.</summary>
public enum InitialLength
{
    /// <summary>All N candidates (the whole ranking); a later <c>diversify</c> or <c>truncate</c> stage cuts it to L.</summary>
    Full,

    /// <summary>The first L candidates (the request's slate size).</summary>
    Slate,
}

/// <summary>Options of the <c>initial</c> generator: the ranking stage's order, candidates sorted by one prior.</summary>
public sealed class InitialOptions : IValidatableOptions
{
    /// <summary>Name of the prior to sort by, as listed in the schema's prior names (YAML <c>prior</c>, default <c>ctr</c>).</summary>
    public string Prior { get; set; } = "ctr";

    /// <summary>
    /// <c>full</c> (default) returns all N candidates so that a downstream <c>diversify</c> or <c>truncate</c> stage chooses
    /// the L shown; <c>slate</c> returns only the first L (YAML <c>length</c>).
    /// </summary>
    public InitialLength Length { get; set; } = InitialLength.Full;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Prior))
        {
            yield return "prior must name one of the schema's priors (e.g. ctr), got an empty name";
        }
    }
}
