namespace Rerank.Evaluation.Reports;

/// <summary>Axis, grid and legend drawing shared by the charts.</summary>
internal static class Axes
{
    /// <summary>Horizontal grid lines and tick labels of a vertical value axis, plus its rotated label.</summary>
    public static void ValueAxis(SvgWriter svg, LinearScale y, double left, double right, string label)
    {
        svg.OpenGroup("axis y-axis");
        foreach (var tick in y.Ticks)
        {
            var at = y.Map(tick);
            svg.Line(left, at, right, at, tick == 0 ? "zero" : "grid");
            svg.Text(left - 6, at + 4, Html.Number(tick), "tick", "end");
        }

        svg.Text(14, (y.RangeStart + y.RangeEnd) / 2, label, "axis-label", "middle", rotate: -90);
        svg.CloseGroup();
    }

    /// <summary>Vertical grid lines and tick labels of a horizontal axis, plus its label under the ticks.</summary>
    public static void HorizontalAxis(SvgWriter svg, IReadOnlyList<double> ticks, Func<double, double> map, double top, double bottom, string label)
    {
        svg.OpenGroup("axis x-axis");
        foreach (var tick in ticks)
        {
            var at = map(tick);
            svg.Line(at, top, at, bottom, "grid");
            svg.Text(at, bottom + 16, Html.Number(tick), "tick", "middle");
        }

        var first = map(ticks[0]);
        var last = map(ticks[^1]);
        svg.Text((first + last) / 2, bottom + 34, label, "axis-label", "middle");
        svg.CloseGroup();
    }

    /// <summary>A one-line legend: colour swatches for bars, short line samples (dashed where asked) for lines.</summary>
    public static void Legend(SvgWriter svg, IReadOnlyList<LegendEntry> entries, double x, double y)
    {
        if (entries.Count < 2)
        {
            return;
        }

        svg.OpenGroup("legend");
        foreach (var entry in entries)
        {
            if (entry.Line)
            {
                svg.Polyline([(x, y - 3), (x + 18, y - 3)], "swatch-line", entry.Color, entry.Dashed ? "5 3" : null);
            }
            else
            {
                svg.Rect(x + 3, y - 9, 12, 12, "swatch", entry.Color);
            }

            var label = Palette.Clip(entry.Name, 40);
            svg.Text(x + 22, y + 1, label, "legend-label");
            x += 40 + (label.Length * 7.5);
        }

        svg.CloseGroup();
    }
}

/// <summary>One legend item.</summary>
/// <param name="Name">Series name.</param>
/// <param name="Color">Its colour.</param>
/// <param name="Line">A line sample rather than a filled swatch.</param>
/// <param name="Dashed">The line sample is dashed.</param>
internal sealed record LegendEntry(string Name, string Color, bool Line = false, bool Dashed = false);
