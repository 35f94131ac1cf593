using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Plugins.Shared;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Baselines.Tests.Scorers.OneStage;

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
    public void Offsets_ShownPositions_PickTheirBiasAndZeroAtPadding()
    {
        var bias = new ExposureBias(3);
        bias.Parameters()[0].CopyFrom([0.5f, -1f, 2f]);
        bias.Offsets([1, 0, 2, -1], 2, 2).ToArray().ShouldBe([-1f, 0.5f, 2f, 0f]);
    }

    [Theory]
    [InlineData("dcn", "")]
    [InlineData("prm", "\nlayers: 1")]
    [InlineData("dlcm", "")]
    public void Train_InitialOrderWithPositionBias_TrainingLossFalls(string name, string extra)
    {
        var scorer = ComponentBuilder.Build<IStepScorer>(
            new BaselinesPlugin(), name, "epochs: 6\nhidden: 16\nbatch_size: 16\nlearning_rate: 0.003\ninitial_order: true\nposition_bias: true" + extra, new SyntheticData().Schema, 3);
        var result = ((ITrainable)scorer).Train(new SyntheticData().Training(96, 4), new TrainingContext(4));
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss, $"{name}: loss curve {string.Join(", ", result.Curve.Select(c => c.TrainLoss))}");
    }
}
