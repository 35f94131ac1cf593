using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>mmr</c> diversifier (maximal marginal relevance over embedding cosine similarity).</summary>
public sealed class MmrOptions : IValidatableOptions
{
    /// <summary>λ in [0, 1]: 1 is pure relevance, 0 pure dissimilarity (YAML <c>lambda</c>, default 0.7).</summary>
    public double Lambda { get; set; } = 0.7;

    /// <summary>Similarity is measured against the last <c>window</c> selected items (YAML <c>window</c>, default 0 = all of them).</summary>
    public int Window { get; set; }

    /// <summary>The prior used as relevance when the ranked slate carries no item scores (YAML <c>prior</c>, default <c>ctr</c>).</summary>
    public string Prior { get; set; } = "ctr";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!(Lambda >= 0 && Lambda <= 1))
        {
            yield return $"lambda must be in [0, 1], got {Lambda}";
        }

        if (Window < 0)
        {
            yield return $"window must be 0 (all selected items) or positive, got {Window}";
        }

        if (string.IsNullOrWhiteSpace(Prior))
        {
            yield return "prior must name one of the schema's priors (e.g. ctr), got an empty name";
        }
    }
}
