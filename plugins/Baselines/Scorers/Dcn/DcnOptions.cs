using System.ComponentModel.DataAnnotations;

namespace Rerank.Plugins.Baselines;

/// <summary>Options of the <c>dcn</c> scorer: Deep &amp; Cross Network (Wang et al. 2017), point-wise click BCE.</summary>
public sealed class DcnOptions : ListModelOptions
{
    /// <summary>Number of cross layers (YAML <c>cross_layers</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int CrossLayers { get; set; } = 2;
}
