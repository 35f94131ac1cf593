using System.Diagnostics;

namespace Rerank.Abstractions;

/// <summary>
/// Accumulates time per named phase for <see cref="ITimedComponent"/>: <c>using (timer.Measure("decode step")) { … }</c>.
/// Thread-safe; measuring costs two timestamp reads and a short lock.
/// </summary>
public sealed class PhaseTimer
{
    private readonly Lock _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (long Ticks, long Calls)> _totals = new(StringComparer.Ordinal);

    /// <summary>The accumulated timings, in first-seen order.</summary>
    public IReadOnlyList<PhaseTiming> Timings
    {
        get
        {
            lock (_gate)
            {
                return [.. _order.Select(p => new PhaseTiming(p, _totals[p].Ticks * 1000.0 / Stopwatch.Frequency, _totals[p].Calls))];
            }
        }
    }

    /// <summary>Starts measuring <paramref name="phase"/>; the time is added when the returned scope is disposed.</summary>
    public Scope Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp());

    /// <summary>Adds <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks) to <paramref name="phase"/>.</summary>
    public void Add(string phase, long ticks)
    {
        lock (_gate)
        {
            if (!_totals.TryGetValue(phase, out var t))
            {
                _order.Add(phase);
            }

            _totals[phase] = (t.Ticks + ticks, t.Calls + 1);
        }
    }

    /// <summary>Zeroes every phase.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _order.Clear();
            _totals.Clear();
        }
    }

    /// <summary>A running measurement.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly PhaseTimer _timer;
        private readonly string _phase;
        private readonly long _started;

        internal Scope(PhaseTimer timer, string phase, long started)
        {
            _timer = timer;
            _phase = phase;
            _started = started;
        }

        /// <summary>Adds the elapsed time to the phase.</summary>
        public void Dispose() => _timer?.Add(_phase, Stopwatch.GetTimestamp() - _started);
    }
}
