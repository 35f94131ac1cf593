using System.ComponentModel.DataAnnotations;

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

    /// <summary>Adam learning rate (YAML <c>learning_rate</c>). Range: (0, 10].</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double LearningRate { get; set; } = 5e-4;

    /// <summary>Logged lists per step (YAML <c>batch_size</c>). Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 128;

    /// <summary>Passes over the logs (YAML <c>epochs</c>). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 8;

    /// <summary>Categorical fields (schema names, e.g. <c>item_id</c>) left out of the feature processing (YAML <c>exclude_fields</c>; default none).</summary>
    public string[] ExcludeFields { get; set; } = [];
}
