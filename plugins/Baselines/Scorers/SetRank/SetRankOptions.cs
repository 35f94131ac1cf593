using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>setrank</c> scorer: induced multi-head self-attention blocks (Pang et al. 2020).</summary>
public sealed class SetRankOptions : ListModelOptions, IValidatableOptions
{
    /// <summary>Stacked induced self-attention blocks (YAML <c>layers</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Layers { get; set; } = 2;

    /// <summary>Attention heads (YAML <c>heads</c>); must divide <c>hidden</c>. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 2;

    /// <summary>Inducing points m of each block (YAML <c>inducing</c>). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int Inducing { get; set; } = 8;

    /// <summary>Checks that <c>heads</c> divides <c>hidden</c> (each value's range is checked when binding).</summary>
    public IEnumerable<string> Validate()
    {
        if (Heads < 1 || Hidden % Heads != 0)
        {
            yield return $"heads must be positive and divide hidden ({Hidden}), got {Heads}";
        }
    }
}
