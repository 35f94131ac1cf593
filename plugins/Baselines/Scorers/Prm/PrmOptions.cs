using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>prm</c> scorer: Personalized Re-ranking Model (Pei et al. 2019).</summary>
public sealed class PrmOptions : ListModelOptions, IValidatableOptions
{
    /// <summary>Transformer encoder blocks (YAML <c>layers</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Layers { get; set; } = 2;

    /// <summary>Attention heads (YAML <c>heads</c>); must divide <c>hidden</c>. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 2;

    /// <summary>Longest initial list the position embedding covers (YAML <c>max_positions</c>). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int MaxPositions { get; set; } = 128;

    /// <summary>Newest history items the personalized vector reads (YAML <c>history_length</c>). Range: [0, 4096].</summary>
    [Range(0, 4096)]
    public int HistoryLength { get; set; } = 128;

    /// <summary>Checks that <c>heads</c> divides <c>hidden</c> (each value's range is checked when binding).</summary>
    public IEnumerable<string> Validate()
    {
        if (Heads < 1 || Hidden % Heads != 0)
        {
            yield return $"heads must be positive and divide hidden ({Hidden}), got {Heads}";
        }
    }
}
