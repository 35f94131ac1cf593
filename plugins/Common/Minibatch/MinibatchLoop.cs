using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Training;

namespace Rerank.Plugins.Common;

/// <summary>
/// The engine's <see cref="TrainingLoop"/> over a list of examples, for components that train a <see cref="Module"/> on
/// mini-batches of them (NAR4Rec's generator and evaluator, Seq2Slate, DeGRe's three models): it turns the plugin's
/// training context (cancellation, progress), phase timer and name into the loop's hooks, hands the caller's loss each
/// mini-batch as examples, puts the module in training mode at every epoch, and returns the loss curve as
/// <see cref="EpochLoss"/>. A loss that stops being finite ends training with a <see cref="ComponentException"/> naming the
/// epoch and step.
/// </summary>
public static class MinibatchLoop
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="examples"/>; returns the loss curve (one entry per epoch).</summary>
    /// <typeparam name="T">One training example.</typeparam>
    /// <param name="model">The module whose parameters Adam updates.</param>
    /// <param name="examples">The training examples, shuffled every epoch.</param>
    /// <param name="settings">Epochs, batch size, Adam, clipping and early stopping.</param>
    /// <param name="shuffle">The generator of the shuffles (seeded by the caller).</param>
    /// <param name="loss">The caller's loss on one mini-batch (a scalar, recorded on the tape).</param>
    /// <param name="validate">The validation loss after an epoch, or null without validation data.</param>
    /// <param name="context">Cancellation and progress.</param>
    /// <param name="timer">Times the forward, backward and step phases.</param>
    /// <param name="name">The component's name, in progress reports and errors.</param>
    public static List<EpochLoss> Run<T>(
        Module model,
        IReadOnlyList<T> examples,
        TrainingLoopSettings settings,
        Rng shuffle,
        Func<IReadOnlyList<T>, Tensor> loss,
        Func<double?> validate,
        TrainingContext context,
        PhaseTimer timer,
        string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            var curve = TrainingLoop.Run(
                model.Parameters(),
                examples.Count,
                settings,
                shuffle,
                slice => loss([.. slice.Select(i => examples[i])]),
                validate,
                Hooks(context, timer, name, () => model.Train()));
            return [.. curve.Select(e => new EpochLoss(e.Epoch, e.TrainLoss, e.ValidationLoss))];
        }
        catch (TrainingDivergedException e)
        {
            throw new ComponentException(e.Message, e);
        }
    }

    /// <summary>The loop's hooks for a plugin component: its name, cancellation, progress reports and phase timer.</summary>
    public static TrainingHooks Hooks(TrainingContext context, PhaseTimer timer, string name, Action? epochStarting = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timer);
        return new TrainingHooks
        {
            Name = name,
            Cancellation = context.Cancellation,
            EpochStarting = epochStarting,
            StepDone = context.Progress is { } progress ? (epoch, epochs, step, steps, value) => progress.Report(new TrainProgress(name, epoch, epochs, step, steps, value)) : null,
            Phase = timer.Add,
        };
    }
}
