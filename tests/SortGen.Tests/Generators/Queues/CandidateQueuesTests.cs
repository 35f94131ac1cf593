using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.SortGen.Tests.Generators;

public sealed class CandidateQueuesTests
{
    // ctr:   0.9 0.8 0.7 0.1 0.2
    // cvr:   0.1 0.1 0.1 0.9 0.8  → ctr*cvr: .09 .08 .07 .09 .16
    private static RerankBatch Batch()
    {
        float[] ctr = [0.9f, 0.8f, 0.7f, 0.1f, 0.2f];
        float[] cvr = [0.1f, 0.1f, 0.1f, 0.9f, 0.8f];
        var schema = new FeatureSchema([], ["ctr", "cvr"], 2);
        var candidates = ctr.Select((p, i) => new Item { Id = $"c{i}", Priors = [p, cvr[i]], Embedding = [1, 0], Price = 1 }).ToList();
        return RerankBatch.Create(schema, [new RerankRequest { RequestId = "q", Candidates = candidates, SlateSize = 2 }]);
    }

    private static QueueExpression[] Expressions(params string[] texts) => [.. texts.Select(t => QueueExpression.TryParse(t, out _)!)];

    [Fact]
    public void Build_Dfs_FirstQueueFillsBeforeTheSecond()
    {
        var queues = CandidateQueues.Build(Batch(), 0, Expressions("ctr", "ctr*cvr"), QueueFill.Dfs, 2);
        queues.Items[0].ShouldBe([0, 1]);
        queues.Items[1].ShouldBe([4, 3]);
    }

    [Fact]
    public void Build_Bfs_QueuesTakeTurns()
    {
        var queues = CandidateQueues.Build(Batch(), 0, Expressions("ctr", "cvr"), QueueFill.Bfs, 3);
        queues.Items[0].ShouldBe([0, 1, 2]);
        queues.Items[1].ShouldBe([3, 4]);
    }

    [Fact]
    public void Build_SameTopItem_PartitionsCandidates()
    {
        var queues = CandidateQueues.Build(Batch(), 0, Expressions("ctr", "ctr"), QueueFill.Bfs, 2);
        queues.Items[0].ShouldBe([0, 2]);
        queues.Items[1].ShouldBe([1, 4]); // ctr order is 0, 1, 2, 4, 3
        queues.Owners(5).ShouldBe([0, 1, 0, -1, 1]);
    }
}
