namespace Rerank.Engine.Training;

/// <summary>What <see cref="TrainingLoop"/> tells its caller while it runs, and how it is stopped. Every member is optional.</summary>
public sealed record TrainingHooks
{
    /// <summary>The model's name in errors ("nar4rec/generator: training loss became NaN at epoch 2, step 7").</summary>
    public string Name { get; init; } = "model";

    /// <summary>Checked before every step.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Called at the start of every epoch (e.g. <c>module.Train()</c>, which turns dropout on).</summary>
    public Action? EpochStarting { get; init; }

    /// <summary>After every step: epoch, epochs, step (from 1), steps per epoch, the step's loss.</summary>
    public Action<int, int, int, int, double>? StepDone { get; init; }

    /// <summary>Time spent per phase (<c>train.forward</c>, <c>train.backward</c>, <c>train.step</c>), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public Action<string, long>? Phase { get; init; }
}
