using System.Text;

namespace Rerank.Evaluation.Reports;

/// <summary>
/// Writes one inline <c>&lt;svg&gt;</c> element: every text and attribute value is HTML-escaped here, every coordinate
/// formatted invariantly. Charts use it so none of them builds markup by hand.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _sb = new();
    private int _depth;

    /// <summary>Opens the root element; <paramref name="chart"/> becomes <c>data-chart</c> (what the browser tests look for).</summary>
    public SvgWriter(string chart, double width, double height, string title)
    {
        Width = width;
        Height = height;
        _sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"").Append(Html.Escape(chart))
          .Append("\" viewBox=\"0 0 ").Append(Html.Coord(width)).Append(' ').Append(Html.Coord(height))
          .Append("\" width=\"").Append(Html.Coord(width)).Append("\" height=\"").Append(Html.Coord(height))
          .Append("\" role=\"img\" aria-label=\"").Append(Html.Escape(title)).Append("\">");
        Element("title", title);
        _depth = 1;
    }

    public double Width { get; }

    public double Height { get; }

    public SvgWriter Rect(double x, double y, double width, double height, string cssClass, string? fill = null, string? tooltip = null, params (string Name, string Value)[] data)
    {
        Start("rect", cssClass, fill, data).Attr("x", x).Attr("y", y).Attr("width", Math.Max(0, width)).Attr("height", Math.Max(0, height));
        return EndWithTooltip("rect", tooltip);
    }

    public SvgWriter Line(double x1, double y1, double x2, double y2, string cssClass, string? stroke = null, string? tooltip = null)
    {
        _sb.Append("<line class=\"").Append(Html.Escape(cssClass)).Append('"');
        if (stroke is not null)
        {
            _sb.Append(" stroke=\"").Append(Html.Escape(stroke)).Append('"');
        }

        Attr("x1", x1).Attr("y1", y1).Attr("x2", x2).Attr("y2", y2);
        return EndWithTooltip("line", tooltip);
    }

    public SvgWriter Circle(double cx, double cy, double r, string cssClass, string? fill = null, string? tooltip = null)
    {
        Start("circle", cssClass, fill, []).Attr("cx", cx).Attr("cy", cy).Attr("r", r);
        return EndWithTooltip("circle", tooltip);
    }

    /// <summary>A polyline through <paramref name="points"/> (a <c>path</c> with <c>M … L …</c>).</summary>
    public SvgWriter Polyline(IReadOnlyList<(double X, double Y)> points, string cssClass, string stroke, string? dash = null, params (string Name, string Value)[] data)
    {
        _sb.Append("<path class=\"").Append(Html.Escape(cssClass)).Append("\" fill=\"none\" stroke=\"").Append(Html.Escape(stroke)).Append('"');
        if (dash is not null)
        {
            _sb.Append(" stroke-dasharray=\"").Append(Html.Escape(dash)).Append('"');
        }

        foreach (var (name, value) in data)
        {
            _sb.Append(" data-").Append(name).Append("=\"").Append(Html.Escape(value)).Append('"');
        }

        _sb.Append(" d=\"");
        for (var i = 0; i < points.Count; i++)
        {
            _sb.Append(i == 0 ? "M" : " L").Append(Html.Coord(points[i].X)).Append(',').Append(Html.Coord(points[i].Y));
        }

        _sb.Append("\"/>");
        return this;
    }

    /// <summary>Text at (x, y); <paramref name="anchor"/> is start, middle or end.</summary>
    public SvgWriter Text(double x, double y, string text, string cssClass, string anchor = "start", double rotate = 0)
    {
        _sb.Append("<text class=\"").Append(Html.Escape(cssClass)).Append('"');
        Attr("x", x).Attr("y", y);
        _sb.Append(" text-anchor=\"").Append(Html.Escape(anchor)).Append('"');
        if (rotate != 0)
        {
            _sb.Append(" transform=\"rotate(").Append(Html.Coord(rotate)).Append(' ').Append(Html.Coord(x)).Append(' ').Append(Html.Coord(y)).Append(")\"");
        }

        _sb.Append('>').Append(Html.Escape(text)).Append("</text>");
        return this;
    }

    public SvgWriter OpenGroup(string cssClass, params (string Name, string Value)[] data)
    {
        _sb.Append("<g class=\"").Append(Html.Escape(cssClass)).Append('"');
        foreach (var (name, value) in data)
        {
            _sb.Append(" data-").Append(name).Append("=\"").Append(Html.Escape(value)).Append('"');
        }

        _sb.Append('>');
        _depth++;
        return this;
    }

    public SvgWriter CloseGroup()
    {
        if (_depth <= 1)
        {
            throw new InvalidOperationException("no open group to close");
        }

        _sb.Append("</g>");
        _depth--;
        return this;
    }

    /// <summary>The "no data" placeholder charts draw when there is nothing to plot.</summary>
    public SvgWriter Empty(string message) => Text(Width / 2, Height / 2, message, "empty", "middle");

    /// <summary>Closes the root (and any open group) and returns the markup.</summary>
    public override string ToString()
    {
        var copy = new StringBuilder(_sb.ToString());
        for (var d = _depth; d > 1; d--)
        {
            copy.Append("</g>");
        }

        return copy.Append("</svg>").ToString();
    }

    private SvgWriter Start(string element, string cssClass, string? fill, (string Name, string Value)[] data)
    {
        _sb.Append('<').Append(element).Append(" class=\"").Append(Html.Escape(cssClass)).Append('"');
        if (fill is not null)
        {
            _sb.Append(" fill=\"").Append(Html.Escape(fill)).Append('"');
        }

        foreach (var (name, value) in data)
        {
            _sb.Append(" data-").Append(name).Append("=\"").Append(Html.Escape(value)).Append('"');
        }

        return this;
    }

    private SvgWriter Attr(string name, double value)
    {
        _sb.Append(' ').Append(name).Append("=\"").Append(Html.Coord(value)).Append('"');
        return this;
    }

    private SvgWriter EndWithTooltip(string element, string? tooltip)
    {
        if (tooltip is null)
        {
            _sb.Append("/>");
            return this;
        }

        _sb.Append('>');
        Element("title", tooltip);
        _sb.Append("</").Append(element).Append('>');
        return this;
    }

    private void Element(string name, string text) => _sb.Append('<').Append(name).Append('>').Append(Html.Escape(text)).Append("</").Append(name).Append('>');
}
