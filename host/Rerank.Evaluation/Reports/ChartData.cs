namespace Rerank.Evaluation.Reports;

/// <summary>One series of a bar chart: a value per category (null where it does not apply).</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Values">One value per category, in category order.</param>
/// <param name="Errors">Optional error bar per category (e.g. mean ± std over seeds, or a bootstrap interval); null where there is none.</param>
/// <param name="Muted">Optional per category: draw the bar grey (e.g. a difference whose interval includes 0).</param>
internal sealed record BarSeries(string Name, IReadOnlyList<double?> Values, IReadOnlyList<(double Low, double High)?>? Errors = null, IReadOnlyList<bool>? Muted = null);

/// <summary>A horizontal reference line across a chart (e.g. the exhaustive optimum).</summary>
/// <param name="Value">Where it is drawn, in the chart's value units.</param>
/// <param name="Label">Text drawn beside it.</param>
internal sealed record ReferenceLine(double Value, string Label);

/// <summary>One line of a line chart.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Points">(x, y) points in x order.</param>
/// <param name="Dashed">Draws the line dashed (e.g. validation beside train).</param>
internal sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>Samples of one distribution for a box plot.</summary>
/// <param name="Name">Row label.</param>
/// <param name="Values">The samples (any order).</param>
internal sealed record Distribution(string Name, IReadOnlyList<double> Values);

/// <summary>The categorical palette of every chart (Tableau 10: distinct, readable on white, colour-blind aware).</summary>
internal static class Palette
{
    private static readonly string[] Colors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    public static string Color(int index) => Colors[((index % Colors.Length) + Colors.Length) % Colors.Length];

    /// <summary>Shortens a label to <paramref name="max"/> characters with an ellipsis (the full text goes in a tooltip).</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, Math.Max(1, max - 1)), "…");
}
