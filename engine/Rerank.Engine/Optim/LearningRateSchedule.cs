namespace Rerank.Engine.Optim;

/// <summary>The learning rate as a function of the step (0-based).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate for step <paramref name="step"/>.</summary>
    float Rate(int step);
}

/// <summary>A fixed rate.</summary>
/// <param name="Value">The rate.</param>
public sealed record ConstantSchedule(float Value) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float Rate(int step) => Value;
}

/// <summary>
/// Linear warm-up from 0 to <paramref name="Peak"/> over <paramref name="WarmupSteps"/>, then cosine decay to
/// <paramref name="Floor"/> at <paramref name="TotalSteps"/> (and the floor after): lr = floor + ½(peak − floor)(1 + cos(π·progress)).
/// </summary>
/// <param name="Peak">The rate at the end of warm-up.</param>
/// <param name="WarmupSteps">Steps of linear warm-up.</param>
/// <param name="TotalSteps">The step at which the floor is reached.</param>
/// <param name="Floor">The final rate.</param>
public sealed record WarmupCosineSchedule(float Peak, int WarmupSteps, int TotalSteps, float Floor = 0f) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float Rate(int step)
    {
        if (WarmupSteps < 0 || TotalSteps <= WarmupSteps)
        {
            throw new InvalidOperationException($"WarmupCosineSchedule needs 0 ≤ warmup ({WarmupSteps}) < total ({TotalSteps}).");
        }

        if (step < WarmupSteps)
        {
            return Peak * (step + 1) / WarmupSteps;
        }

        if (step >= TotalSteps)
        {
            return Floor;
        }

        var progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return (float)(Floor + (0.5 * (Peak - Floor) * (1 + Math.Cos(Math.PI * progress))));
    }
}

/// <summary>Applies a schedule to an optimizer.</summary>
public static class ScheduleExtensions
{
    /// <summary>Sets the optimizer's learning rate for its next step from <paramref name="schedule"/>.</summary>
    public static void Apply(this ILearningRateSchedule schedule, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = schedule.Rate(optimizer.StepCount);
    }
}
