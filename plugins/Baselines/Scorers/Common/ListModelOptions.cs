using System.ComponentModel.DataAnnotations;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>Training and feature options shared by the one-stage scorers (DNN, DCN, DLCM, PRM, SetRank).</summary>
public class ListModelOptions
{
    /// <summary>Passes over the training lists (YAML <c>epochs</c>). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 4;

    /// <summary>Lists per optimisation step (YAML <c>batch_size</c>). Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Adam learning rate (YAML <c>learning_rate</c>). Range: (0, 10].</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public float LearningRate { get; set; } = 1e-3f;

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
    internal ListTrainingOptions Training() => new(Epochs, BatchSize, LearningRate, MaxTrainLists, InitialOrder, PositionBias);
}
