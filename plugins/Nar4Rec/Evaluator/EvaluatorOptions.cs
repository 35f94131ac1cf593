using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Hyper-parameters of the sequence evaluator (§4.4).</summary>
public sealed class EvaluatorOptions : IValidatableOptions
{
    /// <summary>Hidden width d.</summary>
    public int Dimension { get; set; } = 32;

    /// <summary>Attention heads.</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Self-attention + FFN layers over the sequence.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Hidden width of the feed-forward block.</summary>
    public int FeedForward { get; set; } = 64;

    /// <summary>Width of each categorical feature embedding.</summary>
    public int FieldWidth { get; set; } = 8;

    /// <summary>Learnable position embeddings (the longest sequence it can score).</summary>
    public int Positions { get; set; } = 10;

    /// <summary>Training epochs over the logged exposures.</summary>
    public int Epochs { get; set; } = 3;

    /// <summary>Lists per training step.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Weight of the click head in the list utility (weighted sum of item-wise scores).</summary>
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of the conversion head in the list utility.</summary>
    public double ConversionWeight { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Dimension <= 0 || Heads <= 0 || Dimension % Heads != 0)
        {
            yield return $"dimension ({Dimension}) must be positive and split into heads ({Heads})";
        }

        if (Layers < 1 || FeedForward <= 0 || FieldWidth <= 0 || Positions <= 0)
        {
            yield return "layers, feed_forward, field_width and positions must be positive";
        }

        if (Epochs < 1 || BatchSize < 1 || !(LearningRate > 0))
        {
            yield return $"epochs ({Epochs}), batch_size ({BatchSize}) and learning_rate ({LearningRate}) must be positive";
        }

        if (ClickWeight < 0 || ConversionWeight < 0 || ClickWeight + ConversionWeight <= 0)
        {
            yield return "click_weight and conversion_weight must be non-negative, at least one positive";
        }
    }
}
