using Rerank.Abstractions;
using Rerank.Host.Pipelines;
using Rerank.Host.Results;

namespace Rerank.Host.Experiments;

/// <summary>
/// Makes every trainable component of an experiment ready: loads its checkpoint when the file exists, else trains it on
/// the experiment's logs and saves it (to its <c>checkpoint:</c> path, or under the output folder's <c>checkpoints/</c>).
/// A component shared by several pipelines is trained once.
/// </summary>
internal static class ComponentTrainer
{
    public static IReadOnlyList<TrainingCurve> Prepare(
        IEnumerable<BuiltComponent> components, TrainingData data, string checkpointDirectory, IRunReporter reporter, CancellationToken cancellation)
    {
        var curves = new List<TrainingCurve>();
        foreach (var component in components)
        {
            if (component.Instance is not ITrainable trainable)
            {
                continue;
            }

            var reference = component.Registration.Reference;
            if (component.Spec.Checkpoint is { } existing && File.Exists(existing))
            {
                trainable.Load(existing);
                reporter.Info($"{reference}: loaded {existing}");
                continue;
            }

            if (trainable.IsTrained)
            {
                continue;
            }

            var result = reporter.Track($"train {reference}", 1, progress =>
                trainable.Train(data, new TrainingContext(component.Seed, new FractionOf(progress), cancellation)));
            var path = component.Spec.Checkpoint ?? Path.Combine(checkpointDirectory, CheckpointName(component));
            trainable.Save(path);
            reporter.Info($"{reference}: trained in {result.Elapsed.TotalSeconds:0.0} s, saved {path}");
            curves.Add(new TrainingCurve(
                reference,
                [.. result.Curve.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss))],
                result.Elapsed.TotalSeconds));
        }

        return curves;
    }

    /// <summary><c>plugin-version-name-hash.safetensors</c>, the hash telling apart one component built with different params.</summary>
    public static string CheckpointName(BuiltComponent component)
    {
        var r = component.Registration;
        var hash = StableHash.Of(component.Key) & 0xFFFFFFFF;
        return $"{r.PluginId}-{r.PluginVersion.ToNormalizedString()}-{r.Name}-{hash:x8}.safetensors";
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
