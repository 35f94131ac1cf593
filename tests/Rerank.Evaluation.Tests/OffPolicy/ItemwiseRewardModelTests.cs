using Rerank.Abstractions;
using Rerank.Evaluation.OffPolicy;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>
/// CDR's reward model over an item-wise evaluator: position k's reward is the evaluator's prediction at position k of the
/// prefix slate s[0..k], the prefixes of many slates go to it in one batch, and a slate asked for again is not re-evaluated.
/// </summary>
public sealed class ItemwiseRewardModelTests
{
    private static readonly IReadOnlyList<RerankRequest> Requests = SimTestWorlds.Dataset.Test;

    [Fact]
    public void PositionRewards_ThreeItems_PredictionAtPositionKOfThePrefixEndingAtK()
    {
        var evaluator = new PrefixEcho();
        var model = new ItemwiseRewardModel(evaluator, SimTestWorlds.Dataset.Schema, Requests, batchSize: 8, new RerankContext(1));

        var rewards = model.PositionRewards(2, [4, 1, 7]);

        // PrefixEcho predicts 100·(slate length) + 10·t + item at position t: prefix [4] → 104, [4, 1] → 211, [4, 1, 7] → 327.
        rewards.ShouldBe([104.0, 211.0, 327.0]);
        evaluator.Calls.ShouldBe([3], "one call with the three prefixes");
        evaluator.RequestIds.ShouldAllBe(id => id == Requests[2].RequestId);
    }

    [Fact]
    public void Precompute_FiveSlatesInBatchesOfTwoRequests_ThreeCallsThenNoneForKnownSlates()
    {
        var evaluator = new PrefixEcho();
        var model = new ItemwiseRewardModel(evaluator, SimTestWorlds.Dataset.Schema, Requests, batchSize: 2, new RerankContext(1));
        (int, int[])[] slates = [(0, [0, 1]), (1, [2, 3]), (2, [4, 5]), (3, [6, 7]), (4, [8, 9])];

        model.Precompute(slates);
        var again = model.PositionRewards(3, [6, 7]);

        evaluator.Calls.ShouldBe([4, 4, 2], "two requests of two prefixes each per call, then the fifth alone");
        again.ShouldBe([106.0, 217.0]);
    }

    /// <summary>Predicts 100·(slate length) + 10·t + the item at t, recording each call's row count and request ids.</summary>
    private sealed class PrefixEcho : IItemwiseEvaluator
    {
        public List<int> Calls { get; } = [];

        public List<string> RequestIds { get; } = [];

        public string Name => "prefix-echo";

        public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context) =>
            throw new NotSupportedException("the reward model asks for positions only");

        public float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context)
        {
            Calls.Add(slates.Count);
            RequestIds.AddRange(batch.Requests.Select(r => r.RequestId));
            return [.. slates.Select(s => s.Indices.Select((item, t) => (float)((100 * s.Count) + (10 * t) + item)).ToArray())];
        }
    }
}
