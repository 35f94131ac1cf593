using System.Diagnostics;

namespace Rerank.Abstractions;

/// <summary>
/// Accumulates time per named phase for <see cref="ITimedComponent"/>: <c>using (timer.Measure("decode step")) { … }</c>.
/// Thread-safe; measuring costs two timestamp reads and a short lock.
/// </summary>
public sealed class PhaseTimer
{
    private readonly Lock gate = new();
    private readonly List<string> order = [];
    private readonly Dictionary<string, (long Ticks, long Calls)> totals = new(StringComparer.Ordinal);

    /// <summary>The accumulated timings, in first-seen order.</summary>
    public IReadOnlyList<PhaseTiming> Timings
    {
        get
        {
            lock (gate)
            {
                return [.. order.Select(p => new PhaseTiming(p, totals[p].Ticks * 1000.0 / Stopwatch.Frequency, totals[p].Calls))];
            }
        }
    }

    /// <summary>Starts measuring <paramref name="phase"/>; the time is added when the returned scope is disposed.</summary>
    public Scope Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp());

    /// <summary>Adds <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks) to <paramref name="phase"/>.</summary>
    public void Add(string phase, long ticks)
    {
        lock (gate)
        {
            if (!totals.TryGetValue(phase, out var t))
            {
                order.Add(phase);
            }

            totals[phase] = (t.Ticks + ticks, t.Calls + 1);
        }
    }

    /// <summary>Zeroes every phase.</summary>
    public void Reset()
    {
        lock (gate)
        {
            order.Clear();
            totals.Clear();
        }
    }

    /// <summary>A running measurement.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly PhaseTimer timer;
        private readonly string phase;
        private readonly long started;

        internal Scope(PhaseTimer timer, string phase, long started)
        {
            this.timer = timer;
            this.phase = phase;
            this.started = started;
        }

        /// <summary>Adds the elapsed time to the phase.</summary>
        public void Dispose() => timer?.Add(phase, Stopwatch.GetTimestamp() - started);
    }
}
