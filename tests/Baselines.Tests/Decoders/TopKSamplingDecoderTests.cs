using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Decoders;

public sealed class TopKSamplingDecoderTests
{
    [Theory]
    [InlineData(StepScoreKind.LogProbability)]
    [InlineData(StepScoreKind.PrefixValue)]
    public void Decode_KOne_EqualsGreedy(StepScoreKind kind)
    {
        var batch = Tiny.Synthetic();
        var scorer = new ConformanceScorer(kind);
        var greedy = Tiny.Build<IDecoder>("greedy").Decode(batch, scorer, null, 1, Tiny.Context);
        var sampled = Tiny.Build<IDecoder>("top_k_sampling", "k: 1").Decode(batch, scorer, null, 4, Tiny.Context);

        sampled.ShouldAllBe(s => s.Count == 1);
        Tiny.Indices(sampled).ShouldBe(Tiny.Indices(greedy));
    }

    [Fact]
    public void Decode_ManyPossibleSlates_KDistinctSamplesBestFirst()
    {
        var batch = Tiny.Synthetic();
        var slates = Tiny.Build<IDecoder>("top_k_sampling", "k: 4\ntemperature: 2").Decode(batch, new ConformanceScorer(StepScoreKind.LogProbability), null, 6, Tiny.Context);

        foreach (var list in slates)
        {
            list.Count.ShouldBe(6);
            list.Select(s => string.Join(',', s.Indices)).Distinct().Count().ShouldBe(6);
            list.Select(s => s.Score).ShouldBeInOrder(SortDirection.Descending);
        }
    }

    [Fact]
    public void Decode_OtherSeed_OtherSamples()
    {
        var batch = Tiny.Synthetic();
        var decoder = Tiny.Build<IDecoder>("top_k_sampling", "k: 5\ntemperature: 5");
        var scorer = new ConformanceScorer(StepScoreKind.ItemScore);
        var a = decoder.Decode(batch, scorer, null, 4, new RerankContext(1));
        var b = decoder.Decode(batch, scorer, null, 4, new RerankContext(2));

        string Key(IReadOnlyList<Slate>[] s) => string.Join('|', s.SelectMany(x => x).Select(x => string.Join(',', x.Indices)));
        Key(a).ShouldNotBe(Key(b));
        Key(decoder.Decode(batch, scorer, null, 4, new RerankContext(1))).ShouldBe(Key(a));
    }

    [Fact]
    public void Decode_FewPossibleSlates_ReturnsAllOfThem()
    {
        // N = 2, L = 2 and k = 2: only two slates exist, so asking for five returns both.
        var batch = Tiny.Batch([0.6f, 0.4f], slateSize: 2);
        var slates = Tiny.Build<IDecoder>("top_k_sampling", "k: 2\ntemperature: 1").Decode(batch, Tiny.Build<IStepScorer>("prior"), null, 5, Tiny.Context)[0];

        slates.Select(s => string.Join(',', s.Indices)).Order().ShouldBe(["0,1", "1,0"]);
    }
}
