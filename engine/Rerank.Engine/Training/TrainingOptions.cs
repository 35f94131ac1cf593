using System.ComponentModel.DataAnnotations;
using Rerank.Engine.Optim;

namespace Rerank.Engine.Training;

/// <summary>
/// The settings every trainable model shares, in one record its options compose (with <c>[InlineParams]</c>, so the YAML
/// keys stay <c>epochs</c>, <c>batch_size</c>, <c>learning_rate</c>, <c>weight_decay</c>, <c>seed</c> at the component's
/// level). Each component sets its own defaults.
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training examples (YAML <c>epochs</c>). Range: [1, 10000].</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 1;

    /// <summary>Examples per optimisation step (YAML <c>batch_size</c>). Range: [1, 65536].</summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Adam's step size (YAML <c>learning_rate</c>). Range: (0, 10].</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Adam's L2 weight decay (YAML <c>weight_decay</c>; unset: none). Range: [0, 10].</summary>
    [Range(0.0, 10.0)]
    public double? WeightDecay { get; set; }

    /// <summary>
    /// A training seed (YAML <c>seed</c>; unset: none). A component's seed derives from the experiment's seed and its
    /// params, so setting this draws another initialisation and shuffling while everything else stays the same: the way to
    /// repeat one model over several seeds in one experiment. Range: any non-negative 64-bit integer.
    /// </summary>
    [Range(typeof(ulong), "0", "18446744073709551615")]
    public ulong? Seed { get; set; }

    /// <summary>Adam with this learning rate and weight decay.</summary>
    public AdamOptions Adam() => new(LearningRate: (float)LearningRate, WeightDecay: (float)(WeightDecay ?? 0.0));

    /// <summary>The loop's settings: these epochs, batch size and Adam, with the model's clipping, early stopping and non-finite policy.</summary>
    public TrainingLoopSettings Loop(float clipNorm = 0f, bool keepBest = false, NonFinitePolicy nonFinite = NonFinitePolicy.Throw) =>
        new(Epochs, BatchSize, Adam(), clipNorm, keepBest, nonFinite);
}
