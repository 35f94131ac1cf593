using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines;

/// <summary>Hyper-parameters of Seq2Slate (Bello et al. 2018) on a transformer: encoder, causal decoder, pointer.</summary>
public sealed class Seq2SlateOptions : IValidatableOptions
{
    /// <summary>Hidden width d.</summary>
    public int Dimension { get; set; } = 32;

    /// <summary>Attention heads.</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Transformer layers of the candidates encoder.</summary>
    public int EncoderLayers { get; set; } = 1;

    /// <summary>Transformer decoder layers (causal self-attention, cross-attention to the candidates, FFN).</summary>
    public int DecoderLayers { get; set; } = 1;

    /// <summary>Hidden width of the feed-forward blocks.</summary>
    public int FeedForward { get; set; } = 64;

    /// <summary>Width of each categorical feature embedding.</summary>
    public int FieldWidth { get; set; } = 8;

    /// <summary>Learnable decoder position embeddings (the longest slate it can decode).</summary>
    public int Positions { get; set; } = 10;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; set; } = 3;

    /// <summary>Lists per training step.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Lists whose utility (clicks·click_weight + conversions·conversion_weight) reaches τ are the targets.</summary>
    public double Tau { get; set; } = 1.0;

    /// <summary>Weight of clicks in a logged list's utility.</summary>
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of conversions in a logged list's utility.</summary>
    public double ConversionWeight { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Dimension <= 0 || Heads <= 0 || Dimension % Heads != 0)
        {
            yield return $"dimension ({Dimension}) must be positive and split into heads ({Heads})";
        }

        if (EncoderLayers < 1 || DecoderLayers < 1 || FeedForward <= 0 || FieldWidth <= 0 || Positions <= 0)
        {
            yield return "encoder_layers, decoder_layers, feed_forward, field_width and positions must be positive";
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
