using Rerank.Evaluation.Reports;

namespace Rerank.Evaluation.Tests.Reports;

public sealed class PipelineGraphTests
{
    private const string Mmr = """
        pipeline mmr
          1. generate: generator=baselines@1.0.0/initial (count 1)
               generator params:
                 prior: ctr
          2. diversify: diversifier=baselines@1.0.0/mmr
               diversifier params:
                 lambda: 0.7
          3. truncate (size L)

        """;

    [Fact]
    public void Parse_Description_ReadsStagesComponentsNotesAndDetails()
    {
        var graph = PipelineGraph.Parse("mmr", Mmr);

        graph.Stages.Select(s => s.Kind).ShouldBe(["generate", "diversify", "truncate"]);
        graph.Stages[0].Components.ShouldBe([("generator", "baselines@1.0.0/initial")]);
        graph.Stages[0].Note.ShouldBe("count 1");
        graph.Stages[0].Details.ShouldBe(["generator params:", "prior: ctr"]);
        graph.Stages[1].Note.ShouldBe("");
        graph.Stages[1].Details.ShouldBe(["diversifier params:", "lambda: 0.7"]);
        graph.Stages[2].Components.ShouldBeEmpty();
        graph.Stages[2].Note.ShouldBe("size L");
    }

    [Fact]
    public void Parse_TwoComponents_SplitsRoles()
    {
        var graph = PipelineGraph.Parse("b", "pipeline b\n  1. generate: scorer=baselines@1.0.0/oracle, decoder=baselines@1.0.0/beam (count 8)\n");

        graph.Stages.Single().Components.ShouldBe([("scorer", "baselines@1.0.0/oracle"), ("decoder", "baselines@1.0.0/beam")]);
        graph.Stages.Single().Note.ShouldBe("count 8");
    }

    [Fact]
    public void Parse_Empty_HasNoStages()
    {
        PipelineGraph.Parse("x", "").Stages.ShouldBeEmpty();
    }
}
