using Rerank.Abstractions;
using Rerank.Evaluation.Results;
using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// Makes every trainable component of an experiment ready: loads its checkpoint when the file exists, else trains it on
/// the experiment's logs and saves it (to its <c>checkpoint:</c> path, or under the output folder's <c>checkpoints/</c>).
/// A component shared by several pipelines is trained once.
/// </summary>
public static class ComponentTrainer
{
    /// <summary>Loads or trains every trainable component of <paramref name="components"/>, in order.</summary>
    /// <param name="components">The built components.</param>
    /// <param name="data">The experiment's logs.</param>
    /// <param name="checkpointDirectory">Where components without a <c>checkpoint:</c> are saved.</param>
    /// <param name="reporter">Progress and one line per component.</param>
    /// <param name="cancellation">Stops everything.</param>
    /// <param name="failures">
    /// When given, a component that fails to load, train or save is recorded here (one line: what failed and why) and the
    /// others still go on; when null, the first failure throws.
    /// </param>
    /// <param name="seedFolder">
    /// For the seeds after the first, the folder (<c>seed-S</c>, or <c>VARIANT/seed-S</c> with a checkpoint variant; <c>VARIANT</c>
    /// alone for the first seed) inserted before the file name of every <c>checkpoint:</c> path, so that the runs of different
    /// seeds or data neither share nor overwrite a checkpoint; null for the first (or only) seed on the file's own data.
    /// </param>
    /// <param name="reuse">
    /// Also load a component without a <c>checkpoint:</c> from <paramref name="checkpointDirectory"/> when its file is there
    /// (and save its training curve beside it when it trains): how shards and merges of one experiment share what was
    /// trained once (<c>rerank run --checkpoints DIR</c>). Off, every run trains anew and only <c>checkpoint:</c> paths load.
    /// </param>
    public static IReadOnlyList<TrainingCurve> Prepare(
        IEnumerable<BuiltComponent> components, TrainingData data, string checkpointDirectory, IRunReporter reporter, CancellationToken cancellation,
        IDictionary<BuiltComponent, string>? failures = null, string? seedFolder = null, bool reuse = false)
    {
        var curves = new List<TrainingCurve>();
        foreach (var component in components)
        {
            if (component.Instance is not ITrainable trainable)
            {
                continue;
            }

            try
            {
                if (Prepare(component, trainable, data, checkpointDirectory, seedFolder, reuse, reporter, cancellation) is { } curve)
                {
                    curves.Add(curve);
                }
            }
            catch (Exception e) when (failures is not null && RunFailure.IsFailure(e, cancellation))
            {
                var what = CheckpointOf(component, seedFolder) is { } existing && File.Exists(existing) ? "its checkpoint could not be loaded" : "it could not be trained";
                failures[component] = $"'{component.Registration.Reference}': {what}: {RunFailure.Describe(e)}";
                reporter.Info($"{component.Registration.Reference}: failed ({RunFailure.Describe(e)})");
            }
        }

        return curves;
    }

    /// <summary>The component's <c>checkpoint:</c> path, under <paramref name="seedFolder"/> when one is given; null when it has none.</summary>
    public static string? CheckpointOf(BuiltComponent component, string? seedFolder) =>
        component.Spec.Checkpoint is not { } path || seedFolder is null
            ? component.Spec.Checkpoint
            : Path.Combine(Path.GetDirectoryName(path) ?? "", seedFolder, Path.GetFileName(path));

    private static TrainingCurve? Prepare(BuiltComponent component, ITrainable trainable, TrainingData data, string checkpointDirectory, string? seedFolder, bool reuse, IRunReporter reporter, CancellationToken cancellation)
    {
        var reference = component.Registration.Reference;
        var checkpoint = CheckpointOf(component, seedFolder);
        if (checkpoint is { } existing && File.Exists(existing))
        {
            trainable.Load(existing);
            reporter.Info($"{reference}: loaded {existing}");
            return null;
        }

        var shared = Path.Combine(checkpointDirectory, component.CheckpointFileName);
        if (reuse && checkpoint is null && File.Exists(shared))
        {
            trainable.Load(shared);
            reporter.Info($"{reference}: loaded {shared} (trained before, --checkpoints)");
            return TrainingCurves.Read(shared + TrainingCurves.Suffix);
        }

        if (trainable.IsTrained)
        {
            return null;
        }

        var result = reporter.Track($"train {reference}", 1, progress =>
            trainable.Train(data, new TrainingContext(component.Seed, new FractionOf(progress), cancellation)));
        var path = checkpoint ?? Path.Combine(checkpointDirectory, component.CheckpointFileName);
        trainable.Save(path);
        reporter.Info($"{reference}: trained in {result.Elapsed.TotalSeconds:0.0} s, saved {path}");
        var trained = new TrainingCurve(reference, [.. result.Curve.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss))], result.Elapsed.TotalSeconds);
        if (reuse && checkpoint is null)
        {
            TrainingCurves.Write(path + TrainingCurves.Suffix, trained);
        }

        return trained;
    }

    /// <summary>Turns epoch/step reports into the fraction of training done.</summary>
    private sealed class FractionOf(IProgress<double> fraction) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value)
        {
            var steps = Math.Max(1, value.Steps);
            var epochs = Math.Max(1, value.Epochs);
            fraction.Report((((value.Epoch - 1) * (double)steps) + value.Step) / (epochs * (double)steps));
        }
    }
}
