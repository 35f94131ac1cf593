using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>top_k_sampling</c> decoder.</summary>
public sealed class TopKSamplingOptions : IValidatableOptions
{
    /// <summary>At each step, sample among the k free candidates with the best adjusted gain (YAML <c>k</c>, default 5).</summary>
    public int K { get; set; } = 5;

    /// <summary>Softmax temperature over those gains: lower is greedier (YAML <c>temperature</c>, default 1.0).</summary>
    public double Temperature { get; set; } = 1.0;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (K < 1)
        {
            yield return $"k must be at least 1, got {K}";
        }

        if (!(Temperature > 0))
        {
            yield return $"temperature must be positive, got {Temperature}";
        }
    }
}
