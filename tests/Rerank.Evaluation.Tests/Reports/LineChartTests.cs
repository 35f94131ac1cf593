using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class LineChartTests
{
    private static readonly LineSeries Train = new("train", [(1, 0.9), (2, 0.6), (3, 0.5)]);
    private static readonly LineSeries Validation = new("validation", [(1, 0.95), (2, 0.7), (3, 0.65)], Dashed: true);

    [Fact]
    public void Render_TwoSeries_DrawsAPathAndAPointPerValue()
    {
        var root = Svg.Parse(LineChart.Render("training", "loss", [Train, Validation], "epoch", "loss"));

        var lines = root.ByClass("path", "series-line");
        lines.Count.ShouldBe(2);
        lines.Select(l => (string?)l.Attribute("data-points")).ShouldBe(["3", "3"]);
        ((string?)lines[1].Attribute("stroke-dasharray")).ShouldNotBeNull();
        ((string?)lines[0].Attribute("stroke-dasharray")).ShouldBeNull();
        root.ByClass("circle", "point").Count.ShouldBe(6);
        root.Texts("legend-label").ShouldBe(["train", "validation"]);
    }

    [Fact]
    public void Render_DecreasingLoss_PointsGoDownTheChart()
    {
        var root = Svg.Parse(LineChart.Render("training", "loss", [Train], "epoch", "loss"));

        var ys = root.ByClass("circle", "point").Select(c => c.Number("cy")).ToList();
        ys[1].ShouldBeGreaterThan(ys[0], "SVG y grows downward: a lower loss is drawn lower");
        ys[2].ShouldBeGreaterThan(ys[1]);
        var xs = root.ByClass("circle", "point").Select(c => c.Number("cx")).ToList();
        (xs[2] - xs[1]).ShouldBe(xs[1] - xs[0], 0.02);
    }

    [Fact]
    public void Render_Path_StartsWithMoveThenLines()
    {
        var root = Svg.Parse(LineChart.Render("training", "loss", [Train], "epoch", "loss"));

        var d = (string)root.ByClass("path", "series-line").Single().Attribute("d")!;
        d.ShouldStartWith("M");
        d.Split(" L").Length.ShouldBe(3);
    }

    [Fact]
    public void Render_Colors_AreUsedPerSeries()
    {
        var root = Svg.Parse(LineChart.Render("training", "loss", [Train, Validation], "epoch", "loss", ["#123456", "#123456"]));

        root.ByClass("path", "series-line").Select(l => (string?)l.Attribute("stroke")).ShouldBe(["#123456", "#123456"]);
    }

    [Fact]
    public void Render_NoPoints_SaysNoData()
    {
        var root = Svg.Parse(LineChart.Render("training", "loss", [new LineSeries("train", [])], "epoch", "loss"));

        root.Texts("empty").ShouldBe(["no data"]);
        root.ByClass("path", "series-line").ShouldBeEmpty();
    }

    [Fact]
    public void Render_NonFinitePoints_AreSkipped()
    {
        var root = Svg.Parse(LineChart.Render("training", "loss", [new LineSeries("train", [(1, 0.5), (2, double.NaN), (3, 0.4)])], "epoch", "loss"));

        root.ByClass("circle", "point").Count.ShouldBe(2);
    }
}
