using Rerank.Engine.Training;

namespace Rerank.Plugins.Common;

/// <summary>
/// How <see cref="ListTrainer"/> trains a list model, taken from the model's options (<c>ListModelOptions</c>,
/// <c>PearOptions</c>), whose <c>[Range]</c> attributes the binder checked: this record is built in code, never bound
/// from YAML.
/// </summary>
/// <param name="Training">Epochs, batch size, Adam's learning rate and weight decay.</param>
/// <param name="MaxTrainLists">At most this many training lists (0: all).</param>
/// <param name="InitialOrder">Present each logged list in the initial (ranking-stage) order instead of the shown order.</param>
/// <param name="PositionBias">Learn a logit offset per shown position, added in training and dropped at inference.</param>
public sealed record ListTrainingOptions(TrainingOptions Training, int MaxTrainLists, bool InitialOrder, bool PositionBias);
