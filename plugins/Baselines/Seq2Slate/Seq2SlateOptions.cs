using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;

namespace Rerank.Plugins.Baselines;

/// <summary>Hyper-parameters of Seq2Slate (Bello et al. 2018) on a transformer: encoder, causal decoder, pointer.</summary>
public sealed class Seq2SlateOptions : IValidatableOptions
{
    /// <summary>Hidden width d. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int Dimension { get; set; } = 32;

    /// <summary>Attention heads. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 4;

    /// <summary>Transformer layers of the candidates encoder. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int EncoderLayers { get; set; } = 1;

    /// <summary>Transformer decoder layers (causal self-attention, cross-attention to the candidates, FFN). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int DecoderLayers { get; set; } = 1;

    /// <summary>Hidden width of the feed-forward blocks. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FeedForward { get; set; } = 64;

    /// <summary>Width of each categorical feature embedding. Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FieldWidth { get; set; } = 8;

    /// <summary>Learnable decoder position embeddings (the longest slate it can decode). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int Positions { get; set; } = 10;

    /// <summary>
    /// Training: epochs (default 3), examples per step (<c>batch_size</c>, default 256), Adam's <c>learning_rate</c>
    /// (default 1e-3), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable component shares,
    /// written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges).
    /// </summary>
    [InlineParams]
    public TrainingOptions Training { get; set; } = new() { Epochs = 3, BatchSize = 256, LearningRate = 1e-3 };

    /// <summary>Lists whose utility (clicks·click_weight + conversions·conversion_weight) reaches τ are the targets. Range: [0, 1000000].</summary>
    [Range(0.0, 1_000_000.0)]
    public double Tau { get; set; } = 1.0;

    /// <summary>Weight of clicks in a logged list's utility. Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of conversions in a logged list's utility. Range: [0, 1000].</summary>
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
