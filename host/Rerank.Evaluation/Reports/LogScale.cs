namespace Rerank.Evaluation.Reports;

/// <summary>Maps positive values onto a pixel range by log₁₀, widened to whole decades; ticks at 1, 2, 5 × 10ⁿ when few decades show.</summary>
internal sealed class LogScale
{
    private LogScale(int lowDecade, int highDecade, double rangeStart, double rangeEnd)
    {
        LowDecade = lowDecade;
        HighDecade = highDecade;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
    }

    public int LowDecade { get; }

    public int HighDecade { get; }

    public double RangeStart { get; }

    public double RangeEnd { get; }

    public double Min => Math.Pow(10, LowDecade);

    public double Max => Math.Pow(10, HighDecade);

    /// <summary>Tick values: every decade, plus 2× and 5× when the scale spans at most two decades.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            var ticks = new List<double>();
            var dense = HighDecade - LowDecade <= 2;
            for (var d = LowDecade; d <= HighDecade; d++)
            {
                var decade = Math.Pow(10, d);
                ticks.Add(Math.Round(decade, 12));
                if (dense && d < HighDecade)
                {
                    ticks.Add(Math.Round(2 * decade, 12));
                    ticks.Add(Math.Round(5 * decade, 12));
                }
            }

            return ticks;
        }
    }

    /// <summary>A scale covering the positive values <paramref name="lo"/>..<paramref name="hi"/>.</summary>
    public static LogScale Covering(double lo, double hi, double rangeStart, double rangeEnd)
    {
        if (!(lo > 0) || !(hi > 0) || !double.IsFinite(lo) || !double.IsFinite(hi))
        {
            throw new ArgumentException($"a log scale needs positive finite bounds, got {lo} and {hi}");
        }

        if (lo > hi)
        {
            (lo, hi) = (hi, lo);
        }

        var low = (int)Math.Floor(Math.Log10(lo) + 1e-9);
        var high = (int)Math.Ceiling(Math.Log10(hi) - 1e-9);
        return new LogScale(low, Math.Max(high, low + 1), rangeStart, rangeEnd);
    }

    /// <summary>The pixel position of <paramref name="value"/> (values at or below zero map to the low end).</summary>
    public double Map(double value)
    {
        var log = value > 0 ? Math.Log10(value) : LowDecade;
        return RangeStart + ((log - LowDecade) / (HighDecade - LowDecade) * (RangeEnd - RangeStart));
    }
}
