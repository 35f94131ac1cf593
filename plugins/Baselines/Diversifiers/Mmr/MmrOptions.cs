using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>mmr</c> diversifier (maximal marginal relevance over embedding cosine similarity).</summary>
public sealed class MmrOptions : IValidatableOptions
{
    /// <summary>λ in [0, 1]: 1 is pure relevance, 0 pure dissimilarity (YAML <c>lambda</c>, default 0.7). Range: [0, 1].</summary>
    [Range(0.0, 1.0)]
    public double Lambda { get; set; } = 0.7;

    /// <summary>Similarity is measured against the last <c>window</c> selected items (YAML <c>window</c>, default 0 = all of them). Range: [0, 10000].</summary>
    [Range(0, 10_000)]
    public int Window { get; set; }

    /// <summary>The prior used as relevance when the ranked slate carries no item scores (YAML <c>prior</c>, default <c>ctr</c>).</summary>
    public string Prior { get; set; } = "ctr";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Prior))
        {
            yield return "prior must name one of the schema's priors (e.g. ctr), got an empty name";
        }
    }
}
