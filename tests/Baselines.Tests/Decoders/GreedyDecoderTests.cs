using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Decoders;

public sealed class GreedyDecoderTests
{
    [Fact]
    public void Decode_ItemScores_PicksArgmaxPerStep()
    {
        var batch = Tiny.Batch([0.2f, 0.9f, 0.5f, 0.7f], slateSize: 3);
        var slates = Tiny.Build<IDecoder>("greedy").Decode(batch, Tiny.Build<IStepScorer>("prior"), null, 4, Tiny.Context);

        slates[0].Count.ShouldBe(1);
        slates[0][0].Indices.ShouldBe([1, 3, 2]);
        slates[0][0].Score.ShouldBe(0.9 + 0.7 + 0.5, 1e-6);
        slates[0][0].ItemScores.ShouldBe([0.9f, 0.7f, 0.5f]);
    }

    [Fact]
    public void Decode_PrefixValue_PicksBestMarginalGain()
    {
        // U = Σ value − 1 when items 0 and 1 are both shown: greedy takes 0 (1.0), then 2 (+0.5) rather than 1 (+0.9 − 1).
        double[] value = [1.0, 0.9, 0.5];
        var truth = new FunctionUtility(l => l.Sum(i => value[i]) - (l.Contains(0) && l.Contains(1) ? 1 : 0));
        var batch = Tiny.Batch([0.1f, 0.1f, 0.1f], slateSize: 2, truth: truth);

        var slate = Tiny.Build<IDecoder>("greedy").Decode(batch, Tiny.Build<IStepScorer>("oracle"), null, 1, Tiny.Context)[0][0];

        slate.Indices.ShouldBe([0, 2]);
        slate.Score.ShouldBe(1.5, 1e-6);
        slate.ItemScores.ShouldBe([1.0f, 0.5f]);
    }

    [Fact]
    public void Decode_Diversifier_AdjustedGainsDecide()
    {
        // All candidates share one category, so each earlier pick costs 0.5: scores still decide, order unchanged.
        var batch = Tiny.Batch([0.2f, 0.9f, 0.5f], slateSize: 2);
        var diversifier = new CategoryPenaltyDiversifier();
        var slate = Tiny.Build<IDecoder>("greedy").Decode(batch, Tiny.Build<IStepScorer>("prior"), diversifier, 1, Tiny.Context)[0][0];

        slate.Indices.ShouldBe([1, 2]);
        slate.Score.ShouldBe(0.9 + 0.5 - 0.5, 1e-6);
        diversifier.AdjustCalls.ShouldBe(2);
    }
}
