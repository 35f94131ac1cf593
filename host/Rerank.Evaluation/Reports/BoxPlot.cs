using Rerank.Evaluation.Metrics;

namespace Rerank.Evaluation.Reports;

/// <summary>
/// Horizontal box plots, one row per distribution: whiskers p1–p99, box p25–p75, a median bar and a dot at the maximum.
/// The axis is logarithmic when the values span more than a factor of 20 (latencies of cheap and costly pipelines).
/// </summary>
internal static class BoxPlot
{
    private const double Width = 760;
    private const double Left = 150;
    private const double Right = 190;
    private const double Top = 16;
    private const double Row = 34;
    private const double AxisSpace = 50;

    private static readonly double[] Percents = [1, 25, 50, 75, 99];

    /// <summary>Renders the chart as an inline SVG element.</summary>
    public static string Render(string id, string title, IReadOnlyList<Distribution> distributions, string unit)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var height = Top + (Math.Max(1, distributions.Count) * Row) + AxisSpace;
        var svg = new SvgWriter(id, Width, height, title);
        var all = distributions.SelectMany(d => d.Values).Where(double.IsFinite).ToList();
        if (all.Count == 0)
        {
            return svg.Empty("no data").ToString();
        }

        var positive = all.Where(v => v > 0).ToList();
        var log = positive.Count > 0 && positive.Max() / positive.Min() > 20;
        Func<double, double> map;
        IReadOnlyList<double> ticks;
        var bottom = Top + (distributions.Count * Row);
        if (log)
        {
            var scale = LogScale.Covering(positive.Min(), positive.Max(), Left, Width - Right);
            (map, ticks) = (scale.Map, scale.Ticks);
        }
        else
        {
            var scale = LinearScale.Nice(Math.Min(0, all.Min()), all.Max(), Left, Width - Right, tickCount: 6);
            (map, ticks) = (scale.Map, scale.Ticks);
        }

        Axes.HorizontalAxis(svg, ticks, map, Top, bottom, log ? $"{unit} (log scale)" : unit);
        var stats = new double[Percents.Length];
        for (var r = 0; r < distributions.Count; r++)
        {
            var d = distributions[r];
            var middle = Top + (r * Row) + (Row / 2);
            svg.OpenGroup("distribution", ("name", d.Name), ("count", d.Values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            svg.Text(Left - 10, middle + 4, Palette.Clip(d.Name, 22), "category", "end");
            var values = d.Values.Where(double.IsFinite).ToArray();
            if (values.Length == 0)
            {
                svg.Text(Left + 8, middle + 4, "no samples", "missing");
                svg.CloseGroup();
                continue;
            }

            Latency.Percentiles(values, Percents, stats);
            var color = Palette.Color(r);
            var summary = $"{d.Name}: p50 {Html.Number(stats[2])} {unit} · p99 {Html.Number(stats[4])} {unit} · max {Html.Number(values.Max())} {unit} · {values.Length} samples";
            svg.Line(map(stats[0]), middle, map(stats[4]), middle, "whisker", color);
            svg.Line(map(stats[0]), middle - 6, map(stats[0]), middle + 6, "whisker", color);
            svg.Line(map(stats[4]), middle - 6, map(stats[4]), middle + 6, "whisker", color);
            svg.Rect(map(stats[1]), middle - 10, Math.Max(2, map(stats[3]) - map(stats[1])), 20, "box", color, summary);
            svg.Line(map(stats[2]), middle - 10, map(stats[2]), middle + 10, "median");
            svg.Circle(map(values.Max()), middle, 2.5, "max", color, $"max {Html.Number(values.Max())} {unit}");
            svg.Text(Width - Right + 10, middle + 4, $"p50 {Html.Number(stats[2])} · p99 {Html.Number(stats[4])} {unit}", "summary");
            svg.CloseGroup();
        }

        return svg.ToString();
    }
}
