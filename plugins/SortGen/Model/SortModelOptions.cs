using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine.Training;

namespace Rerank.Plugins.SortGen;

/// <summary>How the SORT heads are trained and read (SORT-Gen §3.1.2, Table 2).</summary>
public enum SortLoss
{
    /// <summary>Ordered regression: p_i,j = P(count among the first j ≥ i) for every i ≤ j (eq. 4–5).</summary>
    Ordered,

    /// <summary>The Table 2 ablation: per-position click/pay classification, E[count_j] = Σ_{t≤j} σ(z_t).</summary>
    Pointwise,
}

/// <summary>
/// Hyper-parameters and training settings of the SORT model (shared by every SORT-Gen component). These are recorded in
/// checkpoints; the inference settings of the derived options (α, β, γ, queues, MMR) are not, so they change without retraining.
/// </summary>
public abstract class SortModelOptions : IValidatableOptions
{
    /// <summary>Longest sub-list the model scores, l_o (YAML <c>max_length</c>, default 10). Range: [1, 1024].</summary>
    [Range(1, 1024)]
    public int MaxLength { get; set; } = 10;

    /// <summary>Width of each categorical embedding (item, category, user, segment) (YAML <c>embedding_dim</c>, default 16). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int EmbeddingDim { get; set; } = 16;

    /// <summary>Width of the learnable position embedding E_position (YAML <c>position_dim</c>, default 8). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int PositionDim { get; set; } = 8;

    /// <summary>Transformer width (YAML <c>model_dim</c>, default 32). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int ModelDim { get; set; } = 32;

    /// <summary>Attention heads (YAML <c>heads</c>, default 2). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 2;

    /// <summary>Pre-norm causal transformer layers (YAML <c>layers</c>, default 2). Range: [1, 64].</summary>
    [Range(1, 64)]
    public int Layers { get; set; } = 2;

    /// <summary>Feed-forward width (YAML <c>feed_forward</c>, default 64). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int FeedForward { get; set; } = 64;

    /// <summary>Hidden width of the click and pay MLP heads (YAML <c>head_hidden</c>, default 32). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int HeadHidden { get; set; } = 32;

    /// <summary>Recent history items averaged into the user's current-intent vector (YAML <c>history_window</c>, default 10). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int HistoryWindow { get; set; } = 10;

    /// <summary>Ordered regression (default) or the point-wise ablation (YAML <c>loss</c>).</summary>
    public SortLoss Loss { get; set; } = SortLoss.Ordered;

    /// <summary>Weight of the click loss in eq. 4 (YAML <c>click_loss_weight</c>, default 1; the paper sets both to 1). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double ClickLossWeight { get; set; } = 1;

    /// <summary>Weight of the pay loss in eq. 4 (YAML <c>pay_loss_weight</c>, default 1). Range: [0, 1000].</summary>
    [Range(0.0, 1000.0)]
    public double PayLossWeight { get; set; } = 1;

    /// <summary>
    /// Training: epochs (default 3), examples per step (<c>batch_size</c>, default 128), Adam's <c>learning_rate</c>
    /// (default 0.002), optional <c>weight_decay</c> and <c>seed</c> — the settings every trainable component shares,
    /// written at this level in YAML (see <see cref="TrainingOptions"/> for their ranges).
    /// </summary>
    [InlineParams]
    public TrainingOptions Training { get; set; } = new() { Epochs = 3, BatchSize = 128, LearningRate = 0.002 };

    /// <summary>Dropout inside the transformer during training (YAML <c>dropout</c>, default 0.1). Range: [0, 1).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Dropout { get; set; } = 0.1;

    /// <summary>Keep the weights of the epoch with the lowest validation loss (YAML <c>restore_best</c>, default true).</summary>
    public bool RestoreBest { get; set; } = true;

    /// <summary>Use at most this many training lists (YAML <c>max_train_lists</c>, default 0 = all). Range: [0, 10000000].</summary>
    [Range(0, 10_000_000)]
    public int MaxTrainLists { get; set; }

    /// <summary>
    /// The hyper-parameters that shape the weights, as checkpoints record and check them: not the list-value weights, queues,
    /// MMR or training schedule, which act at inference or only while training, so one checkpoint serves all of them.
    /// </summary>
    internal object ModelShape() => new { MaxLength, EmbeddingDim, PositionDim, ModelDim, Heads, Layers, FeedForward, HeadHidden, HistoryWindow, Loss };

    /// <inheritdoc />
    public virtual IEnumerable<string> Validate()
    {
        if (Heads >= 1 && ModelDim % Heads != 0)
        {
            yield return $"model_dim ({ModelDim}) must be divisible by heads ({Heads})";
        }

        if (!(ClickLossWeight >= 0) || !(PayLossWeight >= 0) || ClickLossWeight + PayLossWeight <= 0)
        {
            yield return $"click_loss_weight and pay_loss_weight must be non-negative with a positive sum, got {ClickLossWeight} and {PayLossWeight}";
        }
    }
}

/// <summary>SORT hyper-parameters plus the objective weights of eq. 1, which act at inference only.</summary>
public abstract class SortValueOptions : SortModelOptions
{
    /// <summary>α, weight of V_click in eq. 1 (YAML <c>alpha</c>, default 5 as in §4.1.1). Range: [-1000, 1000].</summary>
    [Range(-1000.0, 1000.0)]
    public double Alpha { get; set; } = 5;

    /// <summary>β, weight of V_conversion (YAML <c>beta</c>, default 1). Range: [-1000, 1000].</summary>
    [Range(-1000.0, 1000.0)]
    public double Beta { get; set; } = 1;

    /// <summary>γ, weight of V_GMV (YAML <c>gamma</c>, default 1). Range: [-1000, 1000].</summary>
    [Range(-1000.0, 1000.0)]
    public double Gamma { get; set; } = 1;

    /// <summary>
    /// Divide prices by the mean candidate price of the training logs before V_GMV (YAML <c>normalize_gmv</c>, default true),
    /// so that α, β, γ weigh comparable scales (as the simulator's utility does).
    /// </summary>
    public bool NormalizeGmv { get; set; } = true;

    /// <summary>The weights of eq. 1.</summary>
    internal ObjectiveWeights Weights => new(Alpha, Beta, Gamma, NormalizeGmv);
}

/// <summary>Options of the <c>sort</c> evaluator (list value, eq. 1–2).</summary>
public sealed class SortEvaluatorOptions : SortValueOptions
{
}

/// <summary>Options of the <c>prefix_value</c> step scorer: V([S, i]) of eq. 1 for every remaining candidate i.</summary>
public sealed class PrefixValueOptions : SortValueOptions
{
}
