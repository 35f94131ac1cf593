using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;

namespace Rerank.Plugins.DeGRe;

/// <summary>Options of the pointwise DNN-style click model used as the evaluator baseline of Table 3.</summary>
public sealed class PointwiseOptions
{
    /// <summary>Field embedding size (YAML <c>embedding_size</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int EmbeddingSize { get; set; } = 16;

    /// <summary>Hidden width of the MLP (YAML <c>hidden</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int Hidden { get; set; } = 64;

    /// <summary>Recent history items pooled into the user's history field (YAML <c>history_window</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int HistoryWindow { get; set; } = 10;

    /// <summary>Longest slate (YAML <c>max_length</c>). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int MaxLength { get; set; } = 10;

    /// <summary>
    /// Training: epochs (default 8), examples per step (<c>batch_size</c>, default 128), Adam's <c>learning_rate</c>
    /// (default 5e-4), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable component shares,
    /// written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges).
    /// </summary>
    [InlineParams("learning_rate", "batch_size", "epochs", "weight_decay", "seed")]
    public TrainingOptions Training { get; set; } = new() { Epochs = 8, BatchSize = 128, LearningRate = 5e-4 };

    /// <summary>Categorical fields (schema names, e.g. <c>item_id</c>) left out of the feature processing (YAML <c>exclude_fields</c>; default none).</summary>
    public string[] ExcludeFields { get; set; } = [];
}
