using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class BoxPlotTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Fact]
    public void Render_TwoDistributions_DrawsABoxAndMedianEach()
    {
        var root = Svg.Parse(BoxPlot.Render("latency", "latency", [new Distribution("a", OneToHundred), new Distribution("b", [5, 6, 7])], "ms"));

        root.ByClass("rect", "box").Count.ShouldBe(2);
        root.ByClass("line", "median").Count.ShouldBe(2);
        root.ByClass("g", "distribution").Select(g => (string?)g.Attribute("data-count")).ShouldBe(["100", "3"]);
    }

    [Fact]
    public void Render_Quartiles_SpanTheBox()
    {
        // 50..149: nearest-rank p25 = 74, p50 = 99, p75 = 124, p99 = 148 on a linear axis 0..150 over x = 150..570.
        double[] values = [.. Enumerable.Range(50, 100).Select(i => (double)i)];
        var root = Svg.Parse(BoxPlot.Render("latency", "latency", [new Distribution("a", values)], "ms"));

        root.Texts("tick").ShouldBe(["0", "50", "100", "150"]);
        var box = root.ByClass("rect", "box").Single();
        box.Number("x").ShouldBe(150 + (74 * 2.8), 0.01);
        box.Number("width").ShouldBe(50 * 2.8, 0.01);
        root.ByClass("line", "median").Single().Number("x1").ShouldBe(150 + (99 * 2.8), 0.01);
        root.ByClass("circle", "max").Single().Number("cx").ShouldBe(150 + (149 * 2.8), 0.01);
        root.Texts("summary").Single().ShouldBe("p50 99 · p99 148 ms");
    }

    [Fact]
    public void Render_WideRange_UsesALogAxis()
    {
        var root = Svg.Parse(BoxPlot.Render("latency", "latency", [new Distribution("cheap", [0.003, 0.004]), new Distribution("costly", [0.1, 0.14])], "ms"));

        root.Texts("tick").ShouldBe(["0.001", "0.01", "0.1", "1"]);
        root.Texts("axis-label").ShouldBe(["ms (log scale)"]);
    }

    [Fact]
    public void Render_NarrowRange_UsesALinearAxisFromZero()
    {
        var root = Svg.Parse(BoxPlot.Render("latency", "latency", [new Distribution("a", [2, 3, 4])], "ms"));

        root.Texts("tick")[0].ShouldBe("0");
        root.Texts("axis-label").ShouldBe(["ms"]);
    }

    [Fact]
    public void Render_EmptyDistribution_SaysNoSamples()
    {
        var root = Svg.Parse(BoxPlot.Render("latency", "latency", [new Distribution("a", [1, 2]), new Distribution("b", [])], "ms"));

        root.Texts("missing").ShouldBe(["no samples"]);
        root.ByClass("rect", "box").Count.ShouldBe(1);
    }

    [Fact]
    public void Render_NoSamplesAtAll_SaysNoData()
    {
        var root = Svg.Parse(BoxPlot.Render("latency", "latency", [], "ms"));

        root.Texts("empty").ShouldBe(["no data"]);
    }

    [Fact]
    public void Render_MarkupInName_IsEscaped()
    {
        var svg = BoxPlot.Render("latency", "latency", [new Distribution("<x>", [1])], "ms");

        svg.ShouldContain("&lt;x&gt;");
        Svg.Parse(svg).Texts("category").ShouldBe(["<x>"]);
    }
}
