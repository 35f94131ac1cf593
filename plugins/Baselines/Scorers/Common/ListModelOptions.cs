using Rerank.Abstractions;
using Rerank.Plugins.Shared;

namespace Rerank.Plugins.Baselines;

/// <summary>Training and feature options shared by the one-stage scorers (DNN, DCN, DLCM, PRM, SetRank).</summary>
public class ListModelOptions : IValidatableOptions
{
    /// <summary>Passes over the training lists (YAML <c>epochs</c>).</summary>
    public int Epochs { get; set; } = 4;

    /// <summary>Lists per optimisation step (YAML <c>batch_size</c>).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Adam learning rate (YAML <c>learning_rate</c>).</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Width of each categorical feature's embedding (YAML <c>embedding_dim</c>).</summary>
    public int EmbeddingDim { get; set; } = 8;

    /// <summary>Hidden width of the model (YAML <c>hidden</c>).</summary>
    public int Hidden { get; set; } = 64;

    /// <summary>Dropout during training (YAML <c>dropout</c>).</summary>
    public float Dropout { get; set; }

    /// <summary>At most this many training lists (0: all) (YAML <c>max_train_lists</c>).</summary>
    public int MaxTrainLists { get; set; }

    /// <summary>
    /// Present each logged list in its initial (ranking-stage) order while training, the order candidates arrive in at
    /// inference (YAML <c>initial_order</c>, default true); false: in the order it was shown.
    /// </summary>
    public bool InitialOrder { get; set; } = true;

    /// <summary>
    /// Learn a logit offset per shown position while training and drop it at inference, so the position's effect on
    /// clicks is not learned into item scores (PAL, Guo et al. 2019; YAML <c>position_bias</c>).
    /// </summary>
    public bool PositionBias { get; set; }

    /// <summary>The training loop's settings.</summary>
    internal ListTrainingOptions Training() => new(Epochs, BatchSize, LearningRate, MaxTrainLists, InitialOrder, PositionBias);

    /// <inheritdoc />
    public virtual IEnumerable<string> Validate()
    {
        if (Epochs < 1)
        {
            yield return $"epochs must be at least 1, got {Epochs}";
        }

        if (BatchSize < 1)
        {
            yield return $"batch_size must be at least 1, got {BatchSize}";
        }

        if (!(LearningRate > 0f))
        {
            yield return $"learning_rate must be positive, got {LearningRate}";
        }

        if (EmbeddingDim < 1)
        {
            yield return $"embedding_dim must be at least 1, got {EmbeddingDim}";
        }

        if (Hidden < 1)
        {
            yield return $"hidden must be at least 1, got {Hidden}";
        }

        if (Dropout is < 0f or >= 1f)
        {
            yield return $"dropout must be in [0, 1), got {Dropout}";
        }

        if (MaxTrainLists < 0)
        {
            yield return $"max_train_lists must be 0 (all) or positive, got {MaxTrainLists}";
        }
    }
}
