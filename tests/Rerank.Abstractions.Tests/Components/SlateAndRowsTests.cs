using Rerank.Abstractions;

namespace Rerank.Abstractions.Tests.Components;

public sealed class SlateAndRowsTests
{
    [Fact]
    public void Slate_Truncate_KeepsPrefixAndScores()
    {
        var slate = new Slate([4, 2, 7], 1.5, [0.4f, 0.2f, 0.7f]);
        var cut = slate.Truncate(2);
        cut.Indices.ShouldBe([4, 2]);
        cut.ItemScores.ShouldBe([0.4f, 0.2f]);
        cut.Score.ShouldBe(1.5);
        slate.Truncate(5).ShouldBeSameAs(slate);
    }

    [Fact]
    public void Slate_MismatchedItemScores_Throws() =>
        Should.Throw<ArgumentException>(() => new Slate([1, 2], 0, [1f])).Message.ShouldContain("2 items but 1 item scores");

    [Fact]
    public void StepRows_Prefix_ReadsRowMajor()
    {
        var rows = new StepRows(2, [0, 0, 1], [-1, 0, 1], [1, 2, 3, 4, 5, 6]);
        rows.Count.ShouldBe(3);
        rows.Prefix(1).ToArray().ShouldBe([3, 4]);
    }

    [Fact]
    public void StepRows_InconsistentLengths_Throw() =>
        Should.Throw<ArgumentException>(() => new StepRows(2, [0, 1], [-1, -1], [1, 2, 3]));

    [Fact]
    public void StableHash_IsProcessIndependent()
    {
        // FNV-1a of "a" (UTF-16 code unit 0x61) is the published 64-bit FNV-1a value of "a": fixed, whatever the process or platform.
        StableHash.Of("a").ShouldBe(0xAF63DC4C8601EC8CUL);
        StableHash.Mix(1, 2).ShouldBe(StableHash.Mix(1, 2));
        StableHash.Mix(1, 2).ShouldNotBe(StableHash.Mix(2, 1));
    }

    [Fact]
    public void RandomFor_SameSeedAndRequest_SameDraws_WhateverElseHappened()
    {
        var request = new RerankRequest { RequestId = "q", Candidates = [new Item { Id = "a" }], SlateSize = 1 };
        var a = new RerankContext(5).RandomFor(request, "s").Next();
        var context = new RerankContext(5);
        context.RandomFor(new RerankRequest { RequestId = "other", Candidates = [new Item { Id = "b" }], SlateSize = 1 }, "s").Next();
        context.RandomFor(request, "s").Next().ShouldBe(a);
        new RerankContext(6).RandomFor(request, "s").Next().ShouldNotBe(a);
    }

    [Fact]
    public void FeatureSchema_Differences_NameEachMismatch()
    {
        var a = new FeatureSchema([new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, 10)], ["ctr"], 16);
        var b = new FeatureSchema([new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, 12), new FeatureField("x", FeatureKind.Dense, FeatureSide.User, 1)], ["cvr"], 8);
        a.Differences(b).ShouldBe(
        [
            "feature 'item_id' is Item/Categorical/12, expected Item/Categorical/10",
            "feature 'x' is unexpected",
            "priors are [cvr], expected [ctr]",
            "embedding width is 8, expected 16",
        ]);
        a.Equals(b).ShouldBeFalse();
        a.Equals(new FeatureSchema([new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, 10)], ["ctr"], 16)).ShouldBeTrue();
    }

    [Fact]
    public void RerankBatch_PadsToTheLongestRequest()
    {
        var schema = new FeatureSchema([], ["ctr"], 0);
        var r1 = new RerankRequest { RequestId = "1", Candidates = [new Item { Id = "a", Priors = [0.5f] }], SlateSize = 1 };
        var r2 = new RerankRequest { RequestId = "2", Candidates = [new Item { Id = "a", Priors = [0.1f] }, new Item { Id = "b", Priors = [0.2f] }], SlateSize = 2 };
        var batch = RerankBatch.Create(schema, [r1, r2]);
        batch.MaxCandidates.ShouldBe(2);
        batch.CandidateMask.ShouldBe([1f, 0f, 1f, 1f]);
        batch.Priors.ShouldBe([0.5f, 0f, 0.1f, 0.2f]);
        batch.CandidateOffset(1, 1).ShouldBe(3);
    }
}
