using System.Diagnostics;
using System.Globalization;
using Rerank.Engine.Optim;

namespace Rerank.Engine.Training;

/// <summary>
/// The one mini-batch training loop of every trainable model: each epoch starts the model's training mode, shuffles the
/// example indices with the caller's generator and walks them in slices of <see cref="TrainingLoopSettings.BatchSize"/>;
/// each step zeroes the gradients, evaluates the caller's loss on the slice, back-propagates, clips the global gradient
/// norm and takes an Adam step. After each epoch the caller's validation loss is recorded, and with
/// <see cref="TrainingLoopSettings.KeepBest"/> the weights of the epoch with the lowest one are restored at the end
/// (early stopping). Everything random is the caller's seeded <see cref="Rng"/>, so a run is reproducible to the bit.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Trains; returns the loss of every epoch.</summary>
    /// <param name="parameters">What Adam updates.</param>
    /// <param name="count">How many training examples there are; the loss is asked for slices of their indices.</param>
    /// <param name="settings">Epochs, batch size, Adam, clipping, early stopping, the non-finite policy.</param>
    /// <param name="shuffle">Shuffles the indices at the start of every epoch.</param>
    /// <param name="loss">The training loss of a slice of example indices (valid during the call only).</param>
    /// <param name="validate">The validation loss after an epoch (null without validation data); it sets the model's mode it needs.</param>
    /// <param name="hooks">Progress, timing, cancellation, the model's name.</param>
    /// <param name="kept">The weights early stopping copies and restores (default: <paramref name="parameters"/>).</param>
    public static IReadOnlyList<EpochRecord> Run(
        IReadOnlyList<Tensor> parameters,
        int count,
        TrainingLoopSettings settings,
        Rng shuffle,
        Func<ArraySegment<int>, Tensor> loss,
        Func<double?> validate,
        TrainingHooks? hooks = null,
        IReadOnlyList<Tensor>? kept = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(shuffle);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        settings.Validate();
        if (settings.NonFinite == NonFinitePolicy.SkipStep && settings.ClipNorm <= 0f)
        {
            throw new ArgumentException("Skipping non-finite steps needs the gradient norm: set a clip norm above 0.", nameof(settings));
        }

        hooks ??= new TrainingHooks();
        var optimizer = new Adam(parameters, settings.Adam);
        var best = settings.KeepBest ? new BestWeights(kept ?? parameters) : null;
        var order = Enumerable.Range(0, count).ToArray();
        var steps = (count + settings.BatchSize - 1) / settings.BatchSize;
        var curve = new List<EpochRecord>(settings.Epochs);
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            hooks.EpochStarting?.Invoke();
            shuffle.Shuffle(order.AsSpan());
            var total = 0.0;
            for (var step = 0; step < steps; step++)
            {
                hooks.Cancellation.ThrowIfCancellationRequested();
                var start = step * settings.BatchSize;
                var value = Step(optimizer, parameters, settings, new ArraySegment<int>(order, start, Math.Min(settings.BatchSize, count - start)), loss, hooks);
                if (!float.IsFinite(value) && settings.NonFinite == NonFinitePolicy.Throw)
                {
                    throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture, $"{hooks.Name}: training loss became {value} at epoch {epoch}, step {step + 1}"));
                }

                total += value;
                hooks.StepDone?.Invoke(epoch, settings.Epochs, step + 1, steps, value);
            }

            var validation = validate();
            best?.Offer(validation);
            curve.Add(new EpochRecord(epoch, total / Math.Max(1, steps), validation));
        }

        best?.Restore();
        return curve;
    }

    private static float Step(Adam optimizer, IReadOnlyList<Tensor> parameters, TrainingLoopSettings settings, ArraySegment<int> slice, Func<ArraySegment<int>, Tensor> loss, TrainingHooks hooks)
    {
        optimizer.ZeroGrad();
        float value;
        using (TensorScope.Begin())
        {
            var started = Stopwatch.GetTimestamp();
            var objective = loss(slice);
            var forward = Stopwatch.GetTimestamp();
            value = objective.ToScalar();
            objective.Backward();
            hooks.Phase?.Invoke("train.forward", forward - started);
            hooks.Phase?.Invoke("train.backward", Stopwatch.GetTimestamp() - forward);
        }

        var stepStarted = Stopwatch.GetTimestamp();
        var norm = settings.ClipNorm > 0f ? GradientClipping.ClipByGlobalNorm(parameters, settings.ClipNorm) : 0f;
        if (float.IsFinite(norm) || settings.NonFinite != NonFinitePolicy.SkipStep)
        {
            optimizer.Step();
        }

        hooks.Phase?.Invoke("train.step", Stopwatch.GetTimestamp() - stepStarted);
        return value;
    }

    /// <summary>Early stopping: a copy of the weights of the epoch with the lowest validation loss, restored at the end.</summary>
    private sealed class BestWeights(IReadOnlyList<Tensor> parameters)
    {
        private float[][]? _best;
        private double _bestLoss = double.PositiveInfinity;

        public void Offer(double? validation)
        {
            if (validation is not { } loss || !(loss < _bestLoss))
            {
                return;
            }

            _bestLoss = loss;
            _best = [.. parameters.Select(p => p.ToArray())];
        }

        public void Restore()
        {
            for (var i = 0; _best is not null && i < parameters.Count; i++)
            {
                parameters[i].CopyFrom(_best[i]);
            }
        }
    }
}
