namespace Rerank.Evaluation.Reports;

/// <summary>Lines with point markers over a numeric x axis (e.g. loss per epoch), on nice linear scales.</summary>
internal static class LineChart
{
    private const double Width = 760;
    private const double Height = 300;
    private const double Left = 64;
    private const double Right = 20;
    private const double Top = 40;
    private const double Bottom = 48;

    /// <summary>Renders the chart as an inline SVG element; series colours follow <paramref name="colors"/> when given.</summary>
    public static string Render(string id, string title, IReadOnlyList<LineSeries> series, string xLabel, string yLabel, IReadOnlyList<string>? colors = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var svg = new SvgWriter(id, Width, Height, title);
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0)
        {
            return svg.Empty("no data").ToString();
        }

        string Color(int i) => colors is not null && i < colors.Count ? colors[i] : Palette.Color(i);
        var x = LinearScale.Nice(points.Min(p => p.X), points.Max(p => p.X), Left, Width - Right, tickCount: 8);
        var y = LinearScale.Nice(points.Min(p => p.Y), points.Max(p => p.Y), Height - Bottom, Top);
        Axes.ValueAxis(svg, y, Left, Width - Right, yLabel);
        Axes.HorizontalAxis(svg, x.Ticks, x.Map, Top, Height - Bottom, xLabel);
        Axes.Legend(svg, [.. series.Select((s, i) => new LegendEntry(s.Name, Color(i), Line: true, Dashed: s.Dashed))], Left, 18);

        for (var s = 0; s < series.Count; s++)
        {
            var finite = series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (finite.Count == 0)
            {
                continue;
            }

            svg.OpenGroup("series", ("series", series[s].Name));
            svg.Polyline([.. finite.Select(p => (x.Map(p.X), y.Map(p.Y)))], "series-line", Color(s), series[s].Dashed ? "6 4" : null, ("points", finite.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            foreach (var p in finite)
            {
                svg.Circle(x.Map(p.X), y.Map(p.Y), 3, "point", Color(s), $"{series[s].Name} at {Html.Number(p.X)}: {Html.Number(p.Y)}");
            }

            svg.CloseGroup();
        }

        return svg.ToString();
    }
}
