namespace Rerank.Abstractions;

/// <summary>
/// A component that reports where its time goes, by named phase (e.g. <c>encode candidates</c>, <c>decode step</c>,
/// <c>train.backward</c>), for <c>rerank bench</c>. Timings accumulate from the last <see cref="ResetTimings"/>.
/// </summary>
public interface ITimedComponent
{
    /// <summary>Accumulated time and call count of each phase, in the order phases were first seen.</summary>
    IReadOnlyList<PhaseTiming> Timings { get; }

    /// <summary>Zeroes every phase.</summary>
    void ResetTimings();
}

/// <summary>Time spent in one phase.</summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Milliseconds">Total wall time, in milliseconds.</param>
/// <param name="Calls">How many times the phase ran.</param>
public readonly record struct PhaseTiming(string Phase, double Milliseconds, long Calls);
