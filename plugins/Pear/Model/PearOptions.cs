using Rerank.Abstractions;
using Rerank.Plugins.Shared;

namespace Rerank.Plugins.Pear;

/// <summary>Options of PEAR's scorer and evaluator (YAML <c>params:</c>; snake_case of each property).</summary>
public sealed class PearOptions : IValidatableOptions
{
    /// <summary>Passes over the training lists (YAML <c>epochs</c>).</summary>
    public int Epochs { get; set; } = 4;

    /// <summary>Lists per optimisation step (YAML <c>batch_size</c>).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Adam learning rate (YAML <c>learning_rate</c>).</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Width of each categorical feature's embedding (YAML <c>embedding_dim</c>).</summary>
    public int EmbeddingDim { get; set; } = 8;

    /// <summary>Model width d (YAML <c>hidden</c>).</summary>
    public int Hidden { get; set; } = 64;

    /// <summary>Hidden width of the feature-interaction MLP, W₁ (YAML <c>interaction_hidden</c>).</summary>
    public int InteractionHidden { get; set; } = 64;

    /// <summary><c>mlp</c> (eq. 1, default) or <c>dcn</c> (YAML <c>interaction</c>).</summary>
    public FeatureInteraction Interaction { get; set; } = FeatureInteraction.Mlp;

    /// <summary>Cross layers when <c>interaction: dcn</c> (YAML <c>cross_layers</c>).</summary>
    public int CrossLayers { get; set; } = 2;

    /// <summary>Attention heads (YAML <c>heads</c>); must divide <c>hidden</c>.</summary>
    public int Heads { get; set; } = 2;

    /// <summary>Newest history items read (YAML <c>history_length</c>; the paper uses 128, Figure 2 varies it; 0: none).</summary>
    public int HistoryLength { get; set; } = 128;

    /// <summary>
    /// Give every history item a learned embedding of its recency rank (0 = newest … <c>history_length</c> − 1), so the
    /// history attention can tell recent items from old ones (YAML <c>history_positions</c>). An extension of the paper,
    /// whose eq. 2 has no position term though it calls the history a sequence: recency as an item feature, as BST (its
    /// ref. [4]) and SASRec give their behaviour sequences positions (docs/pear.md, "Deviations").
    /// Default true: it raised nDCG@30 on both independent simulator draws (docs/pear.md, "Closing the gap").
    /// </summary>
    public bool HistoryPositions { get; set; } = true;

    /// <summary>
    /// Where the recency embedding enters (YAML <c>history_position_site</c>): <c>attention</c> (default, added to Z_B before
    /// eq. 2) or <c>interaction</c> (an input feature of eq. 1).
    /// </summary>
    public HistoryPositionSite HistoryPositionSite { get; set; } = HistoryPositionSite.Attention;

    /// <summary>Weight α of the list-level auxiliary loss (eq. 6; YAML <c>alpha</c>; 0 turns the auxiliary task off).</summary>
    public float Alpha { get; set; } = 1f;

    /// <summary>Adds Z_S to the merged cross-attention's output (a transformer residual; YAML <c>residual</c>).</summary>
    public bool Residual { get; set; } = true;

    /// <summary>Dropout during training (YAML <c>dropout</c>; the paper uses 0.1).</summary>
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
    public IEnumerable<string> Validate()
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

        if (InteractionHidden < 1)
        {
            yield return $"interaction_hidden must be at least 1, got {InteractionHidden}";
        }

        if (Hidden < 1 || Heads < 1 || Hidden % Heads != 0)
        {
            yield return $"heads ({Heads}) must be positive and divide hidden ({Hidden})";
        }

        if (CrossLayers < 1)
        {
            yield return $"cross_layers must be at least 1, got {CrossLayers}";
        }

        if (HistoryLength < 0)
        {
            yield return $"history_length must be 0 or more, got {HistoryLength}";
        }

        if (!(Alpha >= 0f) || float.IsInfinity(Alpha))
        {
            yield return $"alpha must be a finite number ≥ 0, got {Alpha}";
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
