using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Baselines.Tests.Decoders;

public sealed class BeamDecoderTests
{
    [Theory]
    [InlineData(StepScoreKind.LogProbability)]
    [InlineData(StepScoreKind.ItemScore)]
    [InlineData(StepScoreKind.PrefixValue)]
    public void Decode_WidthOne_EqualsGreedy(StepScoreKind kind)
    {
        var batch = Tiny.Synthetic();
        var scorer = new ConformanceScorer(kind);
        var greedy = Tiny.Build<IDecoder>("greedy").Decode(batch, scorer, new CategoryPenaltyDiversifier(), 3, Tiny.Context);
        var beam = Tiny.Build<IDecoder>("beam", "width: 1").Decode(batch, scorer, new CategoryPenaltyDiversifier(), 3, Tiny.Context);

        Tiny.Indices(beam).ShouldBe(Tiny.Indices(greedy));
        beam.Select(s => s.Count).ShouldAllBe(c => c == 1);
    }

    [Fact]
    public void Decode_TopKOne_EqualsGreedy()
    {
        // One row at step 0 that keeps only its best expansion leaves one beam all the way: greedy.
        var batch = Tiny.Synthetic();
        var scorer = new ConformanceScorer(StepScoreKind.PrefixValue);
        var greedy = Tiny.Build<IDecoder>("greedy").Decode(batch, scorer, null, 1, Tiny.Context);
        var beam = Tiny.Build<IDecoder>("beam", "width: 8\ntop_k: 1").Decode(batch, scorer, null, 8, Tiny.Context);

        Tiny.Indices(beam).ShouldBe(Tiny.Indices(greedy));
    }

    [Fact]
    public void Decode_ExhaustiveWidthOnOracle_FindsTheOptimum()
    {
        var data = new SyntheticData();
        var requests = data.Requests(40, 9).Where(r => r.Candidates.Count <= 7).Take(4).ToList();
        requests.Count.ShouldBe(4);
        var batch = RerankBatch.Create(data.Schema, requests);

        var slates = Tiny.Build<IDecoder>("beam", "width: 1000").Decode(batch, Tiny.Build<IStepScorer>("oracle"), null, 3, Tiny.Context);

        for (var b = 0; b < batch.Count; b++)
        {
            var truth = requests[b].GroundTruth!;
            var optimum = Permutations.All(batch.CandidateCounts[b], batch.SlateSizes[b]).Max(p => truth.Utility(p));
            truth.Utility(slates[b][0].Indices).ShouldBe(optimum, 1e-12);
            slates[b][0].Score.ShouldBe(optimum, 1e-5);
            slates[b].Count.ShouldBe(3);
            slates[b].Select(s => s.Score).ShouldBeInOrder(SortDirection.Descending);
        }
    }

    [Fact]
    public void Decode_WiderBeam_NeverWorseOnOracle()
    {
        var batch = Tiny.Synthetic(8);
        var oracle = Tiny.Build<IStepScorer>("oracle");
        var narrow = Tiny.Build<IDecoder>("greedy").Decode(batch, oracle, null, 1, Tiny.Context);
        var wide = Tiny.Build<IDecoder>("beam", "width: 64").Decode(batch, oracle, null, 1, Tiny.Context);

        for (var b = 0; b < batch.Count; b++)
        {
            var truth = batch.Requests[b].GroundTruth!;
            truth.Utility(wide[b][0].Indices).ShouldBeGreaterThanOrEqualTo(truth.Utility(narrow[b][0].Indices) - 1e-9);
        }
    }

    [Fact]
    public void Decode_AnyWidth_OneScoreCallPerStep()
    {
        var batch = Tiny.Synthetic();
        var scorer = new ParentCheckingScorer();

        Tiny.Build<IDecoder>("beam", "width: 5\ntop_k: 3").Decode(batch, scorer, null, 5, Tiny.Context);

        scorer.ScoreCalls.ShouldBe(batch.SlateSizes.Max());
    }

    [Fact]
    public void Decode_CountAboveWidth_ReturnsWidthDistinctSlatesBestFirst()
    {
        var batch = Tiny.Batch([0.2f, 0.9f, 0.5f, 0.7f], slateSize: 2);
        var slates = Tiny.Build<IDecoder>("beam", "width: 3").Decode(batch, Tiny.Build<IStepScorer>("prior"), null, 10, Tiny.Context)[0];

        // Sums of the two best pairs: 0.9 + 0.7 in both orders, then 0.9 + 0.5 with 1 first (earlier beam wins the tie).
        slates.Select(s => s.Indices).ShouldBe([[1, 3], [3, 1], [1, 2]]);
        slates[0].Score.ShouldBe(1.6, 1e-6);
    }
}
