namespace Rerank.Evaluation.Reports;

/// <summary>Draws a pipeline graph left to right: request → one box per stage (kind, components with versions) → slate.</summary>
internal static class PipelineDiagram
{
    private const double BoxWidth = 260;
    private const double Gap = 36;
    private const double Terminal = 70;
    private const double LineHeight = 15;
    private const double Margin = 8;

    /// <summary>Renders the graph as an inline SVG element with <c>data-chart="graph"</c> and one <c>rect.stage</c> per stage.</summary>
    public static string Render(PipelineGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var lines = graph.Stages.Select(s => 1 + s.Components.Count + (s.Note.Length > 0 ? 1 : 0) + s.Details.Count).DefaultIfEmpty(1).Max();
        var boxHeight = 16 + (lines * LineHeight);
        var height = boxHeight + (2 * Margin);
        var width = (2 * Margin) + (2 * Terminal) + (graph.Stages.Count * BoxWidth) + ((graph.Stages.Count + 1) * Gap);
        var svg = new SvgWriter("graph", width, height, $"pipeline {graph.Name}");
        var middle = height / 2;
        var x = Margin;
        Terminus(svg, x, middle, "request");
        x += Terminal;
        foreach (var stage in graph.Stages)
        {
            Arrow(svg, x, x + Gap, middle);
            x += Gap;
            svg.OpenGroup("stage-group", ("kind", stage.Kind));
            svg.Rect(x, Margin, BoxWidth, boxHeight, "stage", tooltip: string.Join("\n", stage.Details.Prepend(stage.Kind)));
            var y = Margin + 18;
            svg.Text(x + 10, y, stage.Kind, "stage-kind");
            foreach (var (role, reference) in stage.Components)
            {
                y += LineHeight;
                svg.Text(x + 10, y, Palette.Clip(role.Length > 0 ? $"{role}: {reference}" : reference, 38), "stage-component");
            }

            if (stage.Note.Length > 0)
            {
                y += LineHeight;
                svg.Text(x + 10, y, stage.Note, "stage-note");
            }

            foreach (var detail in stage.Details)
            {
                y += LineHeight;
                svg.Text(x + 10, y, Palette.Clip(detail, 38), "stage-detail");
            }

            svg.CloseGroup();
            x += BoxWidth;
        }

        Arrow(svg, x, x + Gap, middle);
        Terminus(svg, x + Gap, middle, "slate");
        return svg.ToString();
    }

    private static void Terminus(SvgWriter svg, double x, double middle, string label)
    {
        svg.Rect(x, middle - 14, Terminal, 28, "terminal");
        svg.Text(x + (Terminal / 2), middle + 4, label, "terminal-label", "middle");
    }

    private static void Arrow(SvgWriter svg, double from, double to, double y)
    {
        svg.Line(from, y, to - 6, y, "edge");
        svg.Polyline([(to - 8, y - 5), (to, y), (to - 8, y + 5)], "arrow", "#666");
    }
}
