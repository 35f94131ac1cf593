using Rerank.Evaluation.OffPolicy;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>Cascade doubly robust against hand-computed values on <see cref="TinyLog"/>.</summary>
public sealed class CascadeDoublyRobustTests
{
    [Fact]
    public void Cdr_ConstantModel_HandComputed()
    {
        // q̂ = 0.5 everywhere; prefix weights 3, 4 for (1, 2). Per request: 2 + 3.5, −1 + 1.5, 0.5 + 0, 2 − 0.5.
        var estimate = SlateEstimators.Cdr(TinyLog.Log, TinyLog.Targets, new ConstantModel(0.5), TinyLog.Options());

        estimate.Estimator.ShouldBe("CDR");
        estimate.Value.ShouldBe((5.5 + 0.5 + 0.5 + 1.5) / 4, 1e-12);
        estimate.EffectiveSampleSize.ShouldBe(2.0, 1e-12);
    }

    [Fact]
    public void Cdr_ZeroModel_EqualsRips()
    {
        var cdr = SlateEstimators.Cdr(TinyLog.Log, TinyLog.Targets, new ConstantModel(0), TinyLog.Options());
        var rips = SlateEstimators.Rips(TinyLog.Log, TinyLog.Targets, TinyLog.Options());

        cdr.Value.ShouldBe(rips.Value, 1e-12);
        (cdr.Low, cdr.High).ShouldBe((rips.Low, rips.High));
    }

    [Fact]
    public void Cdr_Clipped_ClipsPrefixWeightsInBothTerms()
    {
        // clip 3.5: weights 3, 3.5. Request 0: 3·0.5 + 0.5, 3.5·0.5 + 3·0.5; request 3: 2, 3.5·(−0.5) + 1.5.
        var estimate = SlateEstimators.Cdr(TinyLog.Log, TinyLog.Targets, new ConstantModel(0.5), TinyLog.Options(clip: 3.5));

        estimate.Value.ShouldBe((2 + 3.25 + 0.5 + 0.5 + 2 - 0.25) / 4, 1e-12);
        estimate.Clipped.ShouldBe(2);
    }

    [Fact]
    public void Cdr_ModelOfWrongLength_ThrowsNamingTheRequest()
    {
        Should.Throw<InvalidOperationException>(() => SlateEstimators.Cdr(TinyLog.Log, TinyLog.Targets, new ShortModel(), TinyLog.Options()))
            .Message.ShouldBe("CDR: the reward model gave 1 rewards for request 0's logged slate of 2 positions");
    }

    private sealed class ConstantModel(double value) : ISlateRewardModel
    {
        public double[] PositionRewards(int request, ReadOnlySpan<int> slate) => [.. Enumerable.Repeat(value, slate.Length)];
    }

    private sealed class ShortModel : ISlateRewardModel
    {
        public double[] PositionRewards(int request, ReadOnlySpan<int> slate) => [0.0];
    }
}
