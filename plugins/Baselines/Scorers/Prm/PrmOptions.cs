namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>prm</c> scorer: Personalized Re-ranking Model (Pei et al. 2019).</summary>
public sealed class PrmOptions : ListModelOptions
{
    /// <summary>Transformer encoder blocks (YAML <c>layers</c>).</summary>
    public int Layers { get; set; } = 2;

    /// <summary>Attention heads (YAML <c>heads</c>); must divide <c>hidden</c>.</summary>
    public int Heads { get; set; } = 2;

    /// <summary>Longest initial list the position embedding covers (YAML <c>max_positions</c>).</summary>
    public int MaxPositions { get; set; } = 128;

    /// <summary>Newest history items the personalized vector reads (YAML <c>history_length</c>).</summary>
    public int HistoryLength { get; set; } = 128;

    /// <inheritdoc />
    public override IEnumerable<string> Validate()
    {
        foreach (var e in base.Validate())
        {
            yield return e;
        }

        if (Layers < 1)
        {
            yield return $"layers must be at least 1, got {Layers}";
        }

        if (Heads < 1 || Hidden % Heads != 0)
        {
            yield return $"heads must be positive and divide hidden ({Hidden}), got {Heads}";
        }

        if (MaxPositions < 1)
        {
            yield return $"max_positions must be at least 1, got {MaxPositions}";
        }

        if (HistoryLength < 0)
        {
            yield return $"history_length must be 0 or more, got {HistoryLength}";
        }
    }
}
