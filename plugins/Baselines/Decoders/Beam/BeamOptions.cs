using System.ComponentModel.DataAnnotations;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>beam</c> decoder.</summary>
public sealed class BeamOptions
{
    /// <summary>Beam width B: prefixes kept per request after each step (YAML <c>width</c>, default 4). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int Width { get; set; } = 4;

    /// <summary>
    /// Pre-truncation: each beam keeps only its <c>top_k</c> best expansions before the global top-B is taken
    /// (YAML <c>top_k</c>, default 0 = keep all expansions).
    /// Range: [0, 1024].
    /// </summary>
    [Range(0, 1024)]
    public int TopK { get; set; }
}
