using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class BarChartTests
{
    [Fact]
    public void Render_TwoSeries_DrawsOneBarPerValueWithItsHeight()
    {
        var root = Svg.Parse(BarChart.Render("q", "quality", ["a", "b", "c"], [new BarSeries("hr", [0.2, 0.4, 0.8]), new BarSeries("ratio", [1.0, null, 0.5])], [], "share"));

        var bars = root.ByClass("rect", "bar");
        bars.Count.ShouldBe(5);
        root.Texts("missing").ShouldBe(["–"]);
        var heights = bars.Where(b => (string?)b.Attribute("data-series") == "hr").Select(b => b.Number("height")).ToList();
        heights[1].ShouldBe(2 * heights[0], 0.02);
        heights[2].ShouldBe(4 * heights[0], 0.02);
        ((string?)root.Attribute("data-chart")).ShouldBe("q");
    }

    [Fact]
    public void Render_Values_BarsStandOnTheZeroLine()
    {
        var root = Svg.Parse(BarChart.Render("q", "t", ["a", "b"], [new BarSeries("u", [0.3, 0.9])], [], "u"));

        var zero = root.ByClass("line", "zero").ShouldHaveSingleItem().Number("y1");
        foreach (var bar in root.ByClass("rect", "bar"))
        {
            (bar.Number("y") + bar.Number("height")).ShouldBe(zero, 0.02);
        }
    }

    [Fact]
    public void Render_OneSeries_PrintsValuesOverBars()
    {
        var root = Svg.Parse(BarChart.Render("q", "t", ["a", "b"], [new BarSeries("u", [0.7465, 0.9])], [], "u"));

        root.Texts("value").ShouldBe(["0.7465", "0.9"]);
    }

    [Fact]
    public void Render_TwoSeries_LeaveValuesToTooltips()
    {
        var root = Svg.Parse(BarChart.Render("q", "t", ["a"], [new BarSeries("u", [0.7]), new BarSeries("v", [0.9])], [], "u"));

        root.Texts("value").ShouldBeEmpty();
        root.ByClass("rect", "bar").Select(b => b.Elements().Single().Value).ShouldBe(["a · u: 0.7", "a · v: 0.9"]);
    }

    [Fact]
    public void Render_Ticks_LabelTheNiceScale()
    {
        var root = Svg.Parse(BarChart.Render("q", "t", ["a"], [new BarSeries("u", [0.93])], [], "u"));

        root.Texts("tick").ShouldBe(["0", "0.2", "0.4", "0.6", "0.8", "1"]);
    }

    [Fact]
    public void Render_ReferenceAboveData_ExtendsTheAxisToIt()
    {
        var root = Svg.Parse(BarChart.Render("q", "t", ["a"], [new BarSeries("u", [0.3])], [new ReferenceLine(1, "optimum")], "u"));

        var reference = root.ByClass("line", "reference").ShouldHaveSingleItem();
        var top = root.ByClass("line", "grid").Min(l => l.Number("y1"));
        reference.Number("y1").ShouldBe(top, 0.02);
        root.Texts("reference-label").ShouldBe(["optimum"]);
    }

    [Fact]
    public void Render_NegativeValue_HangsBelowZero()
    {
        var root = Svg.Parse(BarChart.Render("q", "t", ["a", "b"], [new BarSeries("u", [-0.5, 1])], [], "u"));

        var zero = root.ByClass("line", "zero").ShouldHaveSingleItem().Number("y1");
        root.ByClass("rect", "bar")[0].Number("y").ShouldBe(zero, 0.02);
    }

    [Fact]
    public void Render_MarkupInNames_IsEscaped()
    {
        var svg = BarChart.Render("q", "<t>", ["<b>&"], [new BarSeries("\"s\"", [1]), new BarSeries("x", [2])], [], "u");

        svg.ShouldNotContain("<b>");
        svg.ShouldContain("&lt;b&gt;&amp;");
        var root = Svg.Parse(svg);
        root.Texts("category").ShouldBe(["<b>&"]);
        root.ByClass("rect", "bar").Select(b => (string?)b.Attribute("data-series")).ShouldBe(["\"s\"", "x"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Render_NoData_SaysSo(int categories)
    {
        var names = Enumerable.Range(0, categories).Select(i => $"p{i}").ToList();
        var root = Svg.Parse(BarChart.Render("q", "t", names, [new BarSeries("u", [.. names.Select(_ => (double?)null)])], [], "u"));

        root.Texts("empty").ShouldBe(["no data"]);
        root.ByClass("rect", "bar").ShouldBeEmpty();
    }

    [Fact]
    public void Render_SeriesOfWrongLength_IsAnErrorNamingIt()
    {
        Should.Throw<ArgumentException>(() => BarChart.Render("q", "t", ["a", "b"], [new BarSeries("hr", [1])], [], "u"))
            .Message.ShouldBe("bar series 'hr' has 1 values for 2 categories");
    }

    [Fact]
    public void Render_ErrorBarsAndMutedBars_WhiskersSpanTheIntervalAndMutedBarsAreGrey()
    {
        var series = new BarSeries("d", [0.5, -0.1], [(0.25, 0.75), (-0.3, 0.1)], [false, true]);

        var root = Svg.Parse(BarChart.Render("q", "t", ["a", "b"], [series], [], "d"));

        var bars = root.ByClass("rect", "bar");
        bars.Select(b => (string?)b.Attribute("fill")).ShouldBe([Palette.Color(0), BarChart.MutedColor]);
        root.ByClass("rect", "muted").ShouldHaveSingleItem();
        var whiskers = root.ByClass("line", "error-bar");
        whiskers.Count.ShouldBe(2);
        var zero = root.ByClass("line", "zero").Single().Number("y1");
        var top = bars[0].Number("y");
        var unit = (zero - top) / 0.5; // pixels per unit of value
        whiskers[0].Number("y1").ShouldBe(zero - (0.25 * unit), 0.05);
        whiskers[0].Number("y2").ShouldBe(zero - (0.75 * unit), 0.05);
        root.ByClass("line", "error-cap").Count.ShouldBe(4);
    }
}
