using Rerank.Abstractions;

namespace Rerank.Plugins.DeGRe;

/// <summary>Options of the pointwise DNN-style click model used as the evaluator baseline of Table 3.</summary>
public sealed class PointwiseOptions : IValidatableOptions
{
    /// <summary>Field embedding size (YAML <c>embedding_size</c>).</summary>
    public int EmbeddingSize { get; set; } = 16;

    /// <summary>Hidden width of the MLP (YAML <c>hidden</c>).</summary>
    public int Hidden { get; set; } = 64;

    /// <summary>Recent history items pooled into the user's history field (YAML <c>history_window</c>).</summary>
    public int HistoryWindow { get; set; } = 10;

    /// <summary>Longest slate (YAML <c>max_length</c>).</summary>
    public int MaxLength { get; set; } = 10;

    /// <summary>Adam learning rate (YAML <c>learning_rate</c>).</summary>
    public double LearningRate { get; set; } = 5e-4;

    /// <summary>Logged lists per step (YAML <c>batch_size</c>).</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Passes over the logs (YAML <c>epochs</c>).</summary>
    public int Epochs { get; set; } = 8;

    /// <summary>Categorical fields (schema names, e.g. <c>item_id</c>) left out of the feature processing (YAML <c>exclude_fields</c>; default none).</summary>
    public string[] ExcludeFields { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[] { ("embedding_size", EmbeddingSize), ("hidden", Hidden), ("history_window", HistoryWindow), ("max_length", MaxLength), ("batch_size", BatchSize), ("epochs", Epochs) })
        {
            if (value < 1)
            {
                yield return $"{name} must be at least 1, got {value}";
            }
        }

        if (!(LearningRate > 0))
        {
            yield return $"learning_rate must be positive, got {LearningRate}";
        }
    }
}
