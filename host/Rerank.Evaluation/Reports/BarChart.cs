namespace Rerank.Evaluation.Reports;

/// <summary>Grouped vertical bars: one group per category, one bar per series, optional error bars, grey (muted) bars and dashed reference lines.</summary>
internal static class BarChart
{
    /// <summary>The fill of a muted bar (a difference whose interval includes 0).</summary>
    public const string MutedColor = "#bab0ac";

    private const double Width = 760;
    private const double Height = 300;
    private const double Left = 60;
    private const double Right = 20;
    private const double Top = 44;
    private const double Bottom = 40;

    /// <summary>Renders the chart as an inline SVG element.</summary>
    /// <param name="id">Value of <c>data-chart</c>.</param>
    /// <param name="title">Accessible title (tooltip of the whole chart).</param>
    /// <param name="categories">Group labels along the x axis.</param>
    /// <param name="series">Bars of each group; every series has one value per category.</param>
    /// <param name="references">Horizontal reference lines.</param>
    /// <param name="yLabel">Label of the value axis.</param>
    public static string Render(string id, string title, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, IReadOnlyList<ReferenceLine> references, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(references);
        foreach (var s in series)
        {
            if (s.Values.Count != categories.Count)
            {
                throw new ArgumentException($"bar series '{s.Name}' has {s.Values.Count} values for {categories.Count} categories");
            }

            if ((s.Errors is not null && s.Errors.Count != categories.Count) || (s.Muted is not null && s.Muted.Count != categories.Count))
            {
                throw new ArgumentException($"bar series '{s.Name}' has {s.Errors?.Count ?? 0} error bars and {s.Muted?.Count ?? 0} muted flags for {categories.Count} categories");
            }
        }

        var svg = new SvgWriter(id, Width, Height, title);
        var values = series.SelectMany(s => s.Values).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        if (categories.Count == 0 || values.Count == 0)
        {
            return svg.Empty("no data").ToString();
        }

        var errors = series.SelectMany(s => s.Errors ?? []).Where(e => e is { } x && double.IsFinite(x.Low) && double.IsFinite(x.High)).SelectMany(e => (double[])[e!.Value.Low, e.Value.High]);
        var bounds = values.Concat(errors).Concat(references.Select(r => r.Value)).Append(0).ToList();
        var y = LinearScale.Nice(bounds.Min(), bounds.Max(), Height - Bottom, Top);
        Axes.ValueAxis(svg, y, Left, Width - Right, yLabel);
        Axes.Legend(svg, [.. series.Select((s, i) => new LegendEntry(s.Name, Palette.Color(i)))], Left, 18);

        var group = (Width - Left - Right) / categories.Count;
        var bar = Math.Min(48, group * 0.8 / Math.Max(1, series.Count));
        var zero = y.Map(0);
        for (var c = 0; c < categories.Count; c++)
        {
            var groupStart = Left + (c * group) + ((group - (bar * series.Count)) / 2);
            svg.OpenGroup("bar-group", ("category", categories[c]));
            for (var s = 0; s < series.Count; s++)
            {
                var x = groupStart + (s * bar);
                if (series[s].Values[c] is { } v && double.IsFinite(v))
                {
                    var top = y.Map(Math.Max(v, 0));
                    var muted = series[s].Muted?[c] == true;
                    var error = series[s].Errors?[c];
                    var tooltip = $"{categories[c]} · {series[s].Name}: {Html.Number(v)}" + (error is { } e ? $" [{Html.Number(e.Low)}, {Html.Number(e.High)}]" : "");
                    svg.Rect(x + 1, top, bar - 2, Math.Abs(y.Map(v) - zero), muted ? "bar muted" : "bar", muted ? MutedColor : Palette.Color(s), tooltip, ("series", series[s].Name), ("value", Html.Number(v)));
                    var above = v >= 0 ? top : y.Map(v);
                    if (error is { } interval && double.IsFinite(interval.Low) && double.IsFinite(interval.High))
                    {
                        ErrorBar(svg, x + (bar / 2), y.Map(interval.Low), y.Map(interval.High), Math.Min(8, bar / 3), tooltip);
                        above = Math.Min(above, y.Map(interval.High));
                    }

                    if (series.Count == 1)
                    {
                        // One series: print each value over its bar (grouped bars are too narrow; their values are in tooltips).
                        svg.Text(x + (bar / 2), above - 4, Html.Number(v), "value", "middle");
                    }
                }
                else
                {
                    svg.Text(x + (bar / 2), zero - 3, "–", "missing", "middle");
                }
            }

            svg.CloseGroup();
            svg.Text(Left + (c * group) + (group / 2), Height - Bottom + 18, Palette.Clip(categories[c], (int)Math.Max(6, group / 7)), "category", "middle");
        }

        foreach (var reference in references)
        {
            var at = y.Map(reference.Value);
            svg.Line(Left, at, Width - Right, at, "reference", tooltip: $"{reference.Label}: {Html.Number(reference.Value)}");
            svg.Text(Width - Right, at - 5, reference.Label, "reference-label", "end");
        }

        return svg.ToString();
    }

    /// <summary>A vertical error bar from <paramref name="low"/> to <paramref name="high"/> (screen y) with caps half <paramref name="cap"/> wide.</summary>
    private static void ErrorBar(SvgWriter svg, double x, double low, double high, double cap, string tooltip)
    {
        svg.Line(x, low, x, high, "error-bar", tooltip: tooltip);
        svg.Line(x - cap, low, x + cap, low, "error-cap");
        svg.Line(x - cap, high, x + cap, high, "error-cap");
    }
}
