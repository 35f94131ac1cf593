namespace Rerank.Plugins.Common;

/// <summary>
/// The training loop's settings, taken from a model's options (<c>ListModelOptions</c>, <c>PearOptions</c>), whose
/// <c>[Range]</c> attributes the binder checked: this record is built in code, never bound from YAML.
/// </summary>
/// <param name="Epochs">Passes over the training lists.</param>
/// <param name="BatchSize">Lists per optimisation step.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="MaxTrainLists">At most this many training lists (0: all).</param>
/// <param name="InitialOrder">Present each logged list in the initial (ranking-stage) order instead of the shown order.</param>
/// <param name="PositionBias">Learn a logit offset per shown position, added in training and dropped at inference.</param>
public sealed record ListTrainingOptions(int Epochs, int BatchSize, float LearningRate, int MaxTrainLists, bool InitialOrder, bool PositionBias);
