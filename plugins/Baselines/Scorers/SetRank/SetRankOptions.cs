namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>setrank</c> scorer: induced multi-head self-attention blocks (Pang et al. 2020).</summary>
public sealed class SetRankOptions : ListModelOptions
{
    /// <summary>Stacked induced self-attention blocks (YAML <c>layers</c>).</summary>
    public int Layers { get; set; } = 2;

    /// <summary>Attention heads (YAML <c>heads</c>); must divide <c>hidden</c>.</summary>
    public int Heads { get; set; } = 2;

    /// <summary>Inducing points m of each block (YAML <c>inducing</c>).</summary>
    public int Inducing { get; set; } = 8;

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

        if (Inducing < 1)
        {
            yield return $"inducing must be at least 1, got {Inducing}";
        }
    }
}
