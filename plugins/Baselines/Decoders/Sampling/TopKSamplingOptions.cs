using System.ComponentModel.DataAnnotations;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>top_k_sampling</c> decoder.</summary>
public sealed class TopKSamplingOptions
{
    /// <summary>At each step, sample among the k free candidates with the best adjusted gain (YAML <c>k</c>, default 5). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int K { get; set; } = 5;

    /// <summary>Softmax temperature over those gains: lower is greedier (YAML <c>temperature</c>, default 1.0). Range: (0, 1000].</summary>
    [Range(0.0, 1000.0, MinimumIsExclusive = true)]
    public double Temperature { get; set; } = 1.0;
}
