using Rerank.Engine;

namespace Rerank.Plugins.Common.Tests.Minibatch;

public sealed class BestWeightsTests
{
    [Fact]
    public void Restore_AfterSeveralEpochs_CopiesBackTheLowestValidationEpoch()
    {
        var w = Tensor.FromArray([1f, 2f]);
        var kept = new BestWeights([w]);
        kept.Offer(1, 0.5);
        w.CopyFrom([3f, 4f]);
        kept.Offer(2, 0.25);
        w.CopyFrom([5f, 6f]);
        kept.Offer(3, 0.4);

        kept.Restore();

        kept.Epoch.ShouldBe(2);
        w.ToArray().ShouldBe([3f, 4f]);
    }

    [Fact]
    public void Restore_NoValidationLoss_LeavesTheWeights()
    {
        var w = Tensor.FromArray([1f, 2f]);
        var kept = new BestWeights([w]);
        kept.Offer(1, null);
        w.CopyFrom([3f, 4f]);

        kept.Restore();

        kept.Epoch.ShouldBe(0);
        w.ToArray().ShouldBe([3f, 4f]);
    }
}
