using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Pear;

/// <summary>Options of PEAR's scorer and evaluator (YAML <c>params:</c>; snake_case of each property).</summary>
public sealed class PearOptions : IValidatableOptions
{
    /// <summary>
    /// Training: epochs (default 4), examples per step (<c>batch_size</c>, default 64), Adam's <c>learning_rate</c>
    /// (default 1e-3), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable component shares,
    /// written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges).
    /// </summary>
    [InlineParams]
    public TrainingOptions Training { get; set; } = new() { Epochs = 4, BatchSize = 64, LearningRate = 1e-3 };

    /// <summary>Width of each categorical feature's embedding (YAML <c>embedding_dim</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int EmbeddingDim { get; set; } = 8;

    /// <summary>Model width d (YAML <c>hidden</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int Hidden { get; set; } = 64;

    /// <summary>Hidden width of the feature-interaction MLP, W₁ (YAML <c>interaction_hidden</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int InteractionHidden { get; set; } = 64;

    /// <summary><c>mlp</c> (eq. 1, default) or <c>dcn</c> (YAML <c>interaction</c>).</summary>
    public FeatureInteraction Interaction { get; set; } = FeatureInteraction.Mlp;

    /// <summary>Cross layers when <c>interaction: dcn</c> (YAML <c>cross_layers</c>). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int CrossLayers { get; set; } = 2;

    /// <summary>Attention heads (YAML <c>heads</c>); must divide <c>hidden</c>. Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 2;

    /// <summary>Newest history items read (YAML <c>history_length</c>; the paper uses 128, Figure 2 varies it; 0: none). Range: [0, 4096].</summary>
    [Range(0, 4096)]
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

    /// <summary>Weight α of the list-level auxiliary loss (eq. 6; YAML <c>alpha</c>; 0 turns the auxiliary task off). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public float Alpha { get; set; } = 1f;

    /// <summary>Adds Z_S to the merged cross-attention's output (a transformer residual; YAML <c>residual</c>).</summary>
    public bool Residual { get; set; } = true;

    /// <summary>Dropout during training (YAML <c>dropout</c>; the paper uses 0.1). Range: [0, 1).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public float Dropout { get; set; }

    /// <summary>At most this many training lists (0: all) (YAML <c>max_train_lists</c>). Range: [0, 10000000].</summary>
    [Range(0, 10_000_000)]
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
    internal ListTrainingOptions ListTraining() => new(Training, MaxTrainLists, InitialOrder, PositionBias);

    /// <summary>Checks that <c>heads</c> divides <c>hidden</c> (each value's range is checked when binding).</summary>
    public IEnumerable<string> Validate()
    {
        if (Heads < 1 || Hidden % Heads != 0)
        {
            yield return $"heads ({Heads}) must be positive and divide hidden ({Hidden})";
        }
    }
}
