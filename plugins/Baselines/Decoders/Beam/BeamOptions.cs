using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>beam</c> decoder.</summary>
public sealed class BeamOptions : IValidatableOptions
{
    /// <summary>Beam width B: prefixes kept per request after each step (YAML <c>width</c>, default 4).</summary>
    public int Width { get; set; } = 4;

    /// <summary>
    /// Pre-truncation: each beam keeps only its <c>top_k</c> best expansions before the global top-B is taken
    /// (YAML <c>top_k</c>, default 0 = keep all expansions).
    /// </summary>
    public int TopK { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Width < 1)
        {
            yield return $"width must be at least 1, got {Width}";
        }

        if (TopK < 0)
        {
            yield return $"top_k must be 0 (no pre-truncation) or positive, got {TopK}";
        }
    }
}
