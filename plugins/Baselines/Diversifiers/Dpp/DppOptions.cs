using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>dpp</c> diversifier (greedy MAP inference of a determinantal point process).</summary>
public sealed class DppOptions : IValidatableOptions
{
    /// <summary>
    /// θ in [0, 1): weight of relevance against diversity in θ·Σ rel + (1 − θ)·log det S (YAML <c>theta</c>, default 0.7);
    /// the post-pass kernel uses α = θ / (2(1 − θ)).
    /// Range: [0, 1).
    /// </summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Theta { get; set; } = 0.7;

    /// <summary>Diversity is measured against the last <c>window</c> selected items (YAML <c>window</c>, default 0 = all of them). Range: [0, 10000].</summary>
    [Range(0, 10_000)]
    public int Window { get; set; }

    /// <summary>Ridge added to the similarity kernel's diagonal so it stays positive definite past its rank (YAML <c>epsilon</c>, default 1e-4). Range: (0, 1].</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double Epsilon { get; set; } = 1e-4;

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
