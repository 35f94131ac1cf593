using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Evaluators;

public sealed class OracleEvaluatorTests
{
    [Fact]
    public void Evaluate_Slates_TrueUtilityOfEach()
    {
        var truth = new FunctionUtility(l => l.Select((c, t) => (c + 1) / (t + 1.0)).Sum());
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f], slateSize: 2, truth: truth);

        var values = Tiny.Build<IEvaluator>("oracle").Evaluate(batch, [[new Slate([2, 0], 0), new Slate([0, 2], 0)]], Tiny.Context);

        values[0].ShouldBe([3 + 0.5, 1 + 1.5]);
    }

    [Fact]
    public void Evaluate_NoGroundTruth_RefusesNamingTheRequest()
    {
        var data = new SyntheticData();
        var requests = SyntheticData.WithoutGroundTruth(data.Requests(1, 4));
        var batch = RerankBatch.Create(data.Schema, requests);

        var error = Should.Throw<ComponentException>(() =>
            Tiny.Build<IEvaluator>("oracle").Evaluate(batch, [[new Slate([0, 1], 0)]], Tiny.Context));

        error.Message.ShouldContain($"request '{requests[0].RequestId}' has no ground truth");
    }
}
