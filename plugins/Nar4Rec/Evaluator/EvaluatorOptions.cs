using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;

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

    /// <summary>
    /// Training: epochs (default 3), examples per step (<c>batch_size</c>, default 256), Adam's <c>learning_rate</c>
    /// (default 1e-3), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable component shares,
    /// written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges).
    /// </summary>
    [InlineParams]
    public TrainingOptions Training { get; set; } = new() { Epochs = 3, BatchSize = 256, LearningRate = 1e-3 };

    /// <summary>Weight of the click head in the list utility (weighted sum of item-wise scores). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ClickWeight { get; set; } = 1.0;

    /// <summary>Weight of the conversion head in the list utility. Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ConversionWeight { get; set; }

    /// <summary>
    /// With <c>device: cuda</c>, run the encoder and the heads over a batch's sequences as one CUDA graph, captured per
    /// row count (padded to a power of two) and replayed, instead of launching their kernels one by one; the feature
    /// and position lookups stay eager. No effect on the CPU. Off by default until measured on a GPU (docs/gpu.md). An
    /// execution setting: it changes neither the seed nor what a checkpoint records.
    /// </summary>
    [ExecutionSetting]
    public bool? CudaGraphs { get; set; }

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
