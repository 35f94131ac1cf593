using Rerank.Engine;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Baselines.Tests.Scorers.OneStage;

public sealed class ListLossesTests
{
    private static readonly Tensor Logits = Tensor.FromArray([0f, MathF.Log(2f), 0f], new TensorShape(1, 3));
    private static readonly Tensor AllReal = Tensor.FromArray([1f, 1f, 1f], new TensorShape(1, 3));

    [Fact]
    public void SoftmaxCrossEntropy_AttentionRankLoss_MatchesHandComputed()
    {
        // softmax = [1/4, 2/4, 1/4]; targets ψ(1)/Σψ = [1/2, 0, 1/2] → loss = −(½ ln ¼ + ½ ln ¼) = ln 4.
        ListLosses.SoftmaxCrossEntropy(Logits, [1f, 0f, 1f], AllReal, normalise: true).ToScalar().ShouldBe(MathF.Log(4f), 1e-5f);
    }

    [Fact]
    public void SoftmaxCrossEntropy_PrmLoss_SumsOverClicks()
    {
        // −Σ y_i log P_i = −(ln ¼ + ln ¼) = 2 ln 4.
        ListLosses.SoftmaxCrossEntropy(Logits, [1f, 0f, 1f], AllReal, normalise: false).ToScalar().ShouldBe(2 * MathF.Log(4f), 1e-5f);
    }

    [Fact]
    public void SoftmaxCrossEntropy_PaddingAndListsWithoutPositives_Ignored()
    {
        // Two lists: the first has its third slot padded (so softmax over [0, ln 2] = [⅓, ⅔]); the second has no positive.
        var logits = Tensor.FromArray([0f, MathF.Log(2f), 5f, 1f, 2f, 3f], new TensorShape(2, 3));
        var mask = Tensor.FromArray([1f, 1f, 0f, 1f, 1f, 1f], new TensorShape(2, 3));
        ListLosses.SoftmaxCrossEntropy(logits, [1f, 0f, 1f, 0f, 0f, 0f], mask, normalise: true).ToScalar().ShouldBe(MathF.Log(3f), 1e-4f);
    }

    [Fact]
    public void PointwiseBce_PaddedSlot_Ignored()
    {
        var logits = Tensor.FromArray([0f, 4f], new TensorShape(1, 2));
        var mask = Tensor.FromArray([1f, 0f], new TensorShape(1, 2));
        ListLosses.PointwiseBce(logits, [1f, 0f], mask).ToScalar().ShouldBe(MathF.Log(2f), 1e-5f);
    }
}
