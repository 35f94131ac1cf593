using Rerank.Abstractions;

namespace Rerank.Plugins.Common.Tests.Training;

public sealed class ListTrainerTests
{
    private static readonly LoggedList Log = new(
        new RerankRequest
        {
            RequestId = "r",
            Candidates = [.. Enumerable.Range(0, 4).Select(i => new Item { Id = $"c{i}", Priors = [0.1f, 0.1f], Embedding = [1f, 0f] })],
            SlateSize = 3,
        },
        [2, 0, 3],
        [1f, 0f, 0f],
        [0f, 0f, 0f]);

    [Fact]
    public void Lists_ShownOrder_KeepsTheExposure()
    {
        var list = ListTrainer.Lists([Log], 0, initialOrder: false).ShouldHaveSingleItem();
        list.Request.Candidates.Select(c => c.Id).ShouldBe(["c2", "c0", "c3"]);
        list.Labels.ShouldBe([1f, 0f, 0f]);
        list.Shown.ShouldBe([0, 1, 2]);
    }

    [Fact]
    public void Lists_InitialOrder_SortsShownItemsByInitialRankAndKeepsTheirPositions()
    {
        var list = ListTrainer.Lists([Log], 0, initialOrder: true).ShouldHaveSingleItem();
        list.Request.Candidates.Select(c => c.Id).ShouldBe(["c0", "c2", "c3"]);
        list.Labels.ShouldBe([0f, 1f, 0f]);
        list.Shown.ShouldBe([1, 0, 2]);
    }

    [Fact]
    public void Lists_Max_TakesTheFirstLogsOnly()
    {
        ListTrainer.Lists([Log, Log, Log], 2, initialOrder: false).Count.ShouldBe(2);
    }
}
