namespace Rerank.Evaluation.Reports;

/// <summary>Maps a value domain linearly onto a pixel range; the domain is widened to "nice" tick values (1, 2, 5 × 10ⁿ).</summary>
internal sealed class LinearScale
{
    private LinearScale(double min, double max, double step, double rangeStart, double rangeEnd)
    {
        Min = min;
        Max = max;
        Step = step;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
    }

    public double Min { get; }

    public double Max { get; }

    /// <summary>Distance between ticks.</summary>
    public double Step { get; }

    public double RangeStart { get; }

    public double RangeEnd { get; }

    /// <summary>Tick values from <see cref="Min"/> to <see cref="Max"/> inclusive.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            var count = (int)Math.Round((Max - Min) / Step);
            return [.. Enumerable.Range(0, count + 1).Select(i => Clean(Min + (i * Step)))];
        }
    }

    /// <summary>A scale covering <paramref name="lo"/>..<paramref name="hi"/> with about <paramref name="tickCount"/> nice ticks.</summary>
    public static LinearScale Nice(double lo, double hi, double rangeStart, double rangeEnd, int tickCount = 5)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            throw new ArgumentException($"scale bounds must be finite, got {lo} and {hi}");
        }

        if (lo > hi)
        {
            (lo, hi) = (hi, lo);
        }

        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            // A single value: show it in the middle of a unit-wide (or value-wide) window.
            var half = lo == 0 ? 0.5 : Math.Abs(lo) * 0.5;
            (lo, hi) = lo >= 0 && lo - half < 0 ? (0, lo + half) : (lo - half, hi + half);
        }

        var step = NiceNumber(NiceNumber(hi - lo, round: false) / Math.Max(1, tickCount - 1), round: true);
        var min = Math.Floor((lo / step) + 1e-9) * step;
        var max = Math.Ceiling((hi / step) - 1e-9) * step;
        return new LinearScale(Clean(min), Clean(max), step, rangeStart, rangeEnd);
    }

    /// <summary>The pixel position of <paramref name="value"/>.</summary>
    public double Map(double value) => RangeStart + ((value - Min) / (Max - Min) * (RangeEnd - RangeStart));

    /// <summary>Heckbert's nice number: the 1, 2, 5 or 10 × 10ⁿ closest to (round) or not below (ceiling) <paramref name="x"/>.</summary>
    internal static double NiceNumber(double x, bool round)
    {
        var exponent = Math.Floor(Math.Log10(x));
        var fraction = x / Math.Pow(10, exponent);
        double nice = round
            ? fraction switch { < 1.5 => 1, < 3 => 2, < 7 => 5, _ => 10 }
            : fraction switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 };
        return nice * Math.Pow(10, exponent);
    }

    /// <summary>Removes floating-point dust (0.30000000000000004 → 0.3).</summary>
    private static double Clean(double v) => Math.Round(v, 12);
}
