using Rerank.Abstractions;

namespace Rerank.Plugins.Baselines.Tests.Scorers;

public sealed class PriorScorerTests
{
    [Fact]
    public void Score_LogTransform_LogOfPriorEveryRow()
    {
        var batch = Tiny.Batch([0.5f, 0.25f, 0f], slateSize: 2);
        var scorer = Tiny.Build<IStepScorer>("prior", "transform: log");
        using var session = scorer.Begin(batch, Tiny.Context);
        var scores = new float[6];

        session.Score(new StepRows(1, [0, 0], [0, 0], [0, 1]), scores);

        scorer.Kind.ShouldBe(StepScoreKind.ItemScore);
        scores.ShouldBe([MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(1e-6f), MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(1e-6f)]);
    }

    [Fact]
    public void Begin_UnknownPrior_NamesWhatExists()
    {
        var batch = Tiny.Batch([0.5f, 0.25f]);

        Should.Throw<ComponentException>(() => Tiny.Build<IStepScorer>("prior", "prior: gmv").Begin(batch, Tiny.Context))
            .Message.ShouldBe("prior: prior 'gmv' is not in the data's schema; available priors: ctr, cvr");
    }
}
