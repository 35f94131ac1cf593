using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine;
using Shouldly;
using Xunit;

namespace Rerank.Plugins.Pear.Tests;

public sealed class PearModelTests
{
    private static readonly SyntheticData Data = new();

    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(1f, 2f)]
    [InlineData(0.5f, 1.5f)]
    public void Loss_Alpha_AddsWeightedListLevelBce(float alpha, float lnTwos)
    {
        // eq. 6 with zero logits: L_m = mean BCE = ln 2 over the two real items, L_aux = ln 2 (the list holds a positive).
        var model = new PearModel(Data.Schema, new PearOptions { Alpha = alpha, Hidden = 8, InteractionHidden = 8 }, new Rng(1));
        var output = new PearOutput(Tensor.FromArray([0f, 0f, 3f], new TensorShape(1, 3)), Tensor.FromArray([0f], new TensorShape(1)));
        var mask = Tensor.FromArray([1f, 1f, 0f], new TensorShape(1, 3));
        model.Loss(output, [1f, 0f, 1f], mask).ToScalar().ShouldBe(lnTwos * MathF.Log(2f), 1e-5f);
    }

    [Fact]
    public void Loss_ListWithoutPositive_AuxTargetZero()
    {
        var model = new PearModel(Data.Schema, new PearOptions { Alpha = 1f, Hidden = 8, InteractionHidden = 8 }, new Rng(1));
        var output = new PearOutput(Tensor.FromArray([0f, 0f], new TensorShape(1, 2)), Tensor.FromArray([-2f], new TensorShape(1)));
        var mask = Tensor.FromArray([1f, 1f], new TensorShape(1, 2));

        // ln 2 + BCE(−2, 0) = ln 2 + ln(1 + e^−2).
        model.Loss(output, [0f, 0f], mask).ToScalar().ShouldBe(MathF.Log(2f) + MathF.Log(1f + MathF.Exp(-2f)), 1e-5f);
    }

    [Fact]
    public void Forward_Batch_ShapesOfBothHeads()
    {
        var model = new PearModel(Data.Schema, new PearOptions { Hidden = 8, InteractionHidden = 8, Heads = 2 }, new Rng(1));
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(3, 2));
        using var scope = TensorScope.Inference();
        var output = model.Forward(model.Features.Encode(batch, model.HistoryCap));
        output.ItemLogits.Shape.ShouldBe(new TensorShape(3, batch.MaxCandidates));
        output.ListLogits.Shape.ShouldBe(new TensorShape(3));
    }
}
