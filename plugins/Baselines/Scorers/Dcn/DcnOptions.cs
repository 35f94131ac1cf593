namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>dcn</c> scorer: Deep &amp; Cross Network (Wang et al. 2017), point-wise click BCE.</summary>
public sealed class DcnOptions : ListModelOptions
{
    /// <summary>Number of cross layers (YAML <c>cross_layers</c>).</summary>
    public int CrossLayers { get; set; } = 2;

    /// <inheritdoc />
    public override IEnumerable<string> Validate()
    {
        foreach (var e in base.Validate())
        {
            yield return e;
        }

        if (CrossLayers < 1)
        {
            yield return $"cross_layers must be at least 1, got {CrossLayers}";
        }
    }
}
