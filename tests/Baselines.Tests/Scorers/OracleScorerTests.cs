using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Scorers;

public sealed class OracleScorerTests
{
    [Fact]
    public void Score_Row_UtilityOfPrefixPlusCandidate()
    {
        var truth = new FunctionUtility(l => l.Select((c, t) => (c + 1) * 10.0 / (t + 1)).Sum());
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f], slateSize: 3, truth: truth);
        using var session = Tiny.Build<IStepScorer>("oracle").Begin(batch, Tiny.Context);
        var scores = new float[3];

        session.Score(new StepRows(1, [0], [0], [2]), scores);

        // U([2, 0]) = 30 + 10/2, U([2, 1]) = 30 + 20/2; candidate 2 is in the prefix.
        scores[0].ShouldBe(35f);
        scores[1].ShouldBe(40f);
        scores[2].ShouldBe(float.NegativeInfinity);
    }

    [Fact]
    public void Begin_NoGroundTruth_RefusesNamingTheRequest()
    {
        var data = new SyntheticData();
        var requests = SyntheticData.WithoutGroundTruth(data.Requests(2, 1));
        var batch = RerankBatch.Create(data.Schema, requests);

        var error = Should.Throw<ComponentException>(() => Tiny.Build<IStepScorer>("oracle").Begin(batch, Tiny.Context));

        error.Message.ShouldContain($"request '{requests[0].RequestId}' has no ground truth");
        error.Message.ShouldStartWith("oracle:");
    }
}
