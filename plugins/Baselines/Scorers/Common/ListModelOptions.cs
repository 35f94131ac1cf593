using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;
using Rerank.Engine.Training;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>Training and feature options shared by the one-stage scorers (DNN, DCN, DLCM, PRM, SetRank).</summary>
public class ListModelOptions
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

    /// <summary>Hidden width of the model (YAML <c>hidden</c>). Range: [1, 4096].</summary>
    [Range(1, 4096)]
    public int Hidden { get; set; } = 64;

    /// <summary>Dropout during training (YAML <c>dropout</c>). Range: [0, 1).</summary>
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
}
