using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class PipelineDiagramTests
{
    [Fact]
    public void Render_TwoStages_DrawsABoxPerStageBetweenRequestAndSlate()
    {
        var graph = new PipelineGraph("p", [
            new GraphStage("generate", [("generator", "baselines@1.0.0/initial")], "count 1", []),
            new GraphStage("diversify", [("diversifier", "baselines@1.0.0/mmr")], "", ["lambda: 0.7"]),
        ]);

        var root = Svg.Parse(PipelineDiagram.Render(graph));

        root.ByClass("rect", "stage").Count.ShouldBe(2);
        root.Texts("stage-kind").ShouldBe(["generate", "diversify"]);
        root.Texts("stage-component").ShouldBe(["generator: baselines@1.0.0/initial", "diversifier: baselines@1.0.0/mmr"]);
        root.Texts("terminal-label").ShouldBe(["request", "slate"]);
        root.ByClass("line", "edge").Count.ShouldBe(3);
        var boxes = root.ByClass("rect", "stage").Select(r => r.Number("x")).ToList();
        boxes[1].ShouldBeGreaterThan(boxes[0]);
    }

    [Fact]
    public void Render_LongReference_IsClippedWithAnEllipsis()
    {
        var graph = new PipelineGraph("p", [new GraphStage("generate", [("generator", new string('x', 60))], "", [])]);

        var text = Svg.Parse(PipelineDiagram.Render(graph)).Texts("stage-component").Single();

        text.Length.ShouldBe(38);
        text.ShouldEndWith("…");
    }

    [Fact]
    public void Render_NoStages_ConnectsRequestToSlate()
    {
        var root = Svg.Parse(PipelineDiagram.Render(new PipelineGraph("p", [])));

        root.ByClass("rect", "stage").ShouldBeEmpty();
        root.ByClass("line", "edge").Count.ShouldBe(1);
    }
}
