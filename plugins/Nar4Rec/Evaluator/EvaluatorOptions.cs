using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Hyper-parameters of the sequence evaluator (§4.4).</summary>
public sealed class EvaluatorOptions : IValidatableOptions
{
    /// <summary>Hidden width d. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int Dimension { get; set; } = 32;

    /// <summary>Attention heads. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 4;

    /// <summary>Self-attention + FFN layers over the sequence. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Layers { get; set; } = 1;

    /// <summary>Hidden width of the feed-forward block. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FeedForward { get; set; } = 64;

    /// <summary>Width of each categorical feature embedding. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FieldWidth { get; set; } = 8;

    /// <summary>Learnable position embeddings (the longest sequence it can score). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int Positions { get; set; } = 10;

    /// <summary>Training epochs over the logged exposures. Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 3;

    /// <summary>Lists per training step. Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 256;

    /// <summary>Adam learning rate. Range: (0, 10].</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Weight of the click head in the list utility (weighted sum of item-wise scores). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of the conversion head in the list utility. Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ConversionWeight { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Dimension <= 0 || Heads <= 0 || Dimension % Heads != 0)
        {
            yield return $"dimension ({Dimension}) must be positive and split into heads ({Heads})";
        }

        if (ClickWeight < 0 || ConversionWeight < 0 || ClickWeight + ConversionWeight <= 0)
        {
            yield return "click_weight and conversion_weight must be non-negative, at least one positive";
        }
    }
}
