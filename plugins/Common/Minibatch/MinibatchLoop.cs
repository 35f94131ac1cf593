using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Optim;

namespace Rerank.Plugins.Common;

/// <summary>
/// The mini-batch loop of the sequence models (NAR4Rec's generator and evaluator, Seq2Slate, DeGRe's three models):
/// every epoch shuffles the examples with the caller's generator, and every step zeroes the gradients, evaluates the
/// caller's loss on the slice, back-propagates, clips, and takes an Adam step, timing the three phases ("train.forward",
/// "train.backward", "train.step") and reporting progress. A loss that stops being finite ends training with an error
/// naming the epoch and step. Returns the mean training loss per epoch beside the caller's validation loss; with
/// <see cref="MinibatchSettings.KeepBest"/> the model ends with the weights of its best validation epoch (DeGRe's models).
/// </summary>
public static class MinibatchLoop
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="examples"/>; returns the loss curve (one entry per epoch).</summary>
    /// <typeparam name="T">One training example.</typeparam>
    /// <param name="model">The module whose parameters Adam updates.</param>
    /// <param name="examples">The training examples, shuffled every epoch.</param>
    /// <param name="settings">Epochs, batch size, learning rate, clipping and early stopping.</param>
    /// <param name="shuffle">The generator of the shuffles (seeded by the caller).</param>
    /// <param name="loss">The caller's loss on one mini-batch (a scalar, recorded on the tape).</param>
    /// <param name="validate">The validation loss after an epoch, or null without validation data.</param>
    /// <param name="context">Cancellation and progress.</param>
    /// <param name="timer">Times the forward, backward and step phases.</param>
    /// <param name="name">The component's name, in progress reports and errors.</param>
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
