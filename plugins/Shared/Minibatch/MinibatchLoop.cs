using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Optim;

namespace Rerank.Plugins.Shared;

/// <summary>
/// How <see cref="MinibatchLoop"/> trains: epochs, mini-batch size, Adam's learning rate, the global gradient-norm clip
/// (0: none), and whether the weights of the epoch with the lowest validation loss are restored at the end.
/// </summary>
/// <param name="Epochs">Passes over the training examples.</param>
/// <param name="BatchSize">Examples per step (the last step of an epoch takes the rest).</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="ClipNorm">Gradients are scaled down to this global L2 norm before each step; 0 turns clipping off.</param>
/// <param name="KeepBest">Early stopping: restore the weights of the epoch with the lowest validation loss (<see cref="BestWeights"/>).</param>
internal sealed record MinibatchSettings(int Epochs, int BatchSize, float LearningRate, float ClipNorm, bool KeepBest = false);

/// <summary>
/// The mini-batch loop of the sequence models (NAR4Rec's generator and evaluator, Seq2Slate, DeGRe's three models):
/// every epoch shuffles the examples with the caller's generator, and every step zeroes the gradients, evaluates the
/// caller's loss on the slice, back-propagates, clips, and takes an Adam step, timing the three phases ("train.forward",
/// "train.backward", "train.step") and reporting progress. A loss that stops being finite ends training with an error
/// naming the epoch and step. Returns the mean training loss per epoch beside the caller's validation loss; with
/// <see cref="MinibatchSettings.KeepBest"/> the model ends with the weights of its best validation epoch (DeGRe's models).
/// </summary>
internal static class MinibatchLoop
{
    public static List<EpochLoss> Run<T>(
        Module model,
        IReadOnlyList<T> examples,
        MinibatchSettings settings,
        Rng shuffle,
        Func<IReadOnlyList<T>, Tensor> loss,
        Func<double?> validate,
        TrainingContext context,
        PhaseTimer timer,
        string name)
    {
        var optimizer = new Adam(model.Parameters(), new AdamOptions(LearningRate: settings.LearningRate));
        var steps = (examples.Count + settings.BatchSize - 1) / settings.BatchSize;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var curve = new List<EpochLoss>();
        var kept = settings.KeepBest ? new BestWeights(model.Parameters()) : null;
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            model.Train();
            shuffle.Shuffle(order.AsSpan());
            var total = 0.0;
            for (var step = 0; step < steps; step++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                var slice = order.Skip(step * settings.BatchSize).Take(settings.BatchSize).Select(i => examples[i]).ToList();
                optimizer.ZeroGrad();
                float value;
                using (TensorScope.Begin())
                {
                    Tensor objective;
                    using (timer.Measure("train.forward"))
                    {
                        objective = loss(slice);
                    }

                    value = objective.ToScalar();
                    using (timer.Measure("train.backward"))
                    {
                        objective.Backward();
                    }
                }

                using (timer.Measure("train.step"))
                {
                    if (settings.ClipNorm > 0)
                    {
                        GradientClipping.ClipByGlobalNorm(model.Parameters(), settings.ClipNorm);
                    }

                    optimizer.Step();
                }

                if (!float.IsFinite(value))
                {
                    throw new ComponentException(string.Create(CultureInfo.InvariantCulture, $"{name}: training loss became {value} at epoch {epoch}, step {step + 1}"));
                }

                total += value;
                context.Progress?.Report(new TrainProgress(name, epoch, settings.Epochs, step + 1, steps, value));
            }

            var validation = validate();
            kept?.Offer(epoch, validation);
            curve.Add(new EpochLoss(epoch, total / Math.Max(1, steps), validation));
        }

        kept?.Restore();
        return curve;
    }
}
