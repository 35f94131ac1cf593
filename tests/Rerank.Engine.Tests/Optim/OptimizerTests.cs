using Rerank.Engine.Optim;

namespace Rerank.Engine.Tests;

public sealed class AdamTests
{
    [Fact]
    public void Step_FirstStep_MovesEachWeightByLearningRate()
    {
        // Adam's first bias-corrected step is lr·g/(|g| + ε) ≈ lr·sign(g).
        var p = Tensor.FromArray([1f, -2f]);
        p.RequiresGrad = true;
        Ops.Sum(Ops.Mul(p, Tensor.FromArray([3f, -0.5f]))).Backward();
        new Adam([p], new AdamOptions(LearningRate: 0.1f)).Step();
        p[0].ShouldBe(0.9f, 1e-6f);
        p[1].ShouldBe(-1.9f, 1e-6f);
    }

    [Fact]
    public void Step_Quadratic_ConvergesToMinimum()
    {
        var p = Tensor.FromArray([5f, -3f]);
        p.RequiresGrad = true;
        var opt = new Adam([p], new AdamOptions(LearningRate: 0.1f));
        for (var i = 0; i < 500; i++)
        {
            opt.ZeroGrad();
            Ops.Sum(Ops.Square(Ops.Sub(p, Tensor.FromArray([1f, 2f])))).Backward();
            opt.Step();
        }

        p[0].ShouldBe(1f, 1e-2f);
        p[1].ShouldBe(2f, 1e-2f);
    }

    [Fact]
    public void AdamW_ZeroGradient_DecaysWeightsByLrTimesDecay()
    {
        var p = Tensor.FromArray([2f]);
        p.RequiresGrad = true;
        Ops.Mul(Ops.Sum(p), Tensor.Scalar(0f)).Backward();
        new AdamW([p], new AdamOptions(LearningRate: 0.1f, WeightDecay: 0.5f)).Step();

        // m = v = 0 → Adam term 0; decoupled decay: 2 − 0.1·0.5·2 = 1.9
        p[0].ShouldBe(1.9f, 1e-6f);
    }

    [Fact]
    public void Options_Invalid_ThrowsNamingValues()
    {
        var p = Tensor.Zeros(1);
        p.RequiresGrad = true;
        Should.Throw<ArgumentException>(() => new Adam([p], new AdamOptions(Beta1: 1.5f))).Message.ShouldContain("Beta1 = 1.5");
    }
}

public sealed class SgdTests
{
    [Fact]
    public void Step_WithMomentum_MatchesHandComputed()
    {
        var p = Tensor.FromArray([1f]);
        p.RequiresGrad = true;
        var opt = new Sgd([p], new SgdOptions(LearningRate: 0.1f, Momentum: 0.9f));
        for (var i = 0; i < 2; i++)
        {
            opt.ZeroGrad();
            Ops.Sum(p).Backward();
            opt.Step();
        }

        // v1 = 1, p = 0.9; v2 = 0.9 + 1 = 1.9, p = 0.9 − 0.19 = 0.71
        p[0].ShouldBe(0.71f, 1e-6f);
    }

    [Fact]
    public void Constructor_ParameterWithoutGrad_ThrowsNamingIt()
    {
        var p = Tensor.Zeros(2);
        p.Name = "w";
        Should.Throw<ArgumentException>(() => new Sgd([p])).Message.ShouldContain("'w'");
    }
}

public sealed class GradientClippingTests
{
    [Fact]
    public void ClipByGlobalNorm_AboveMax_ScalesToMax()
    {
        var a = Tensor.FromArray([3f]);
        var b = Tensor.FromArray([4f]);
        a.RequiresGrad = b.RequiresGrad = true;
        Ops.Add(Ops.Mul(Ops.Sum(a), Tensor.Scalar(3f)), Ops.Mul(Ops.Sum(b), Tensor.Scalar(4f))).Backward();
        GradientClipping.ClipByGlobalNorm([a, b], 1f).ShouldBe(5f, 1e-5f);
        a.Grad![0].ShouldBe(0.6f, 1e-5f);
        b.Grad![0].ShouldBe(0.8f, 1e-5f);
    }

    [Fact]
    public void ClipByGlobalNorm_BelowMax_LeavesGradients()
    {
        var a = Tensor.FromArray([1f]);
        a.RequiresGrad = true;
        Ops.Sum(a).Backward();
        GradientClipping.ClipByGlobalNorm([a], 10f).ShouldBe(1f);
        a.Grad![0].ShouldBe(1f);
    }
}

public sealed class WarmupCosineScheduleTests
{
    [Fact]
    public void Rate_WarmupThenCosine_MatchesHandComputed()
    {
        var s = new WarmupCosineSchedule(Peak: 1f, WarmupSteps: 4, TotalSteps: 14, Floor: 0.1f);
        s.Rate(0).ShouldBe(0.25f, 1e-6f);
        s.Rate(3).ShouldBe(1f, 1e-6f);
        s.Rate(4).ShouldBe(1f, 1e-6f);
        s.Rate(9).ShouldBe(0.55f, 1e-6f);
        s.Rate(14).ShouldBe(0.1f, 1e-6f);
        s.Rate(100).ShouldBe(0.1f);
    }

    [Fact]
    public void Apply_ConstantSchedule_SetsLearningRate()
    {
        var p = Tensor.Zeros(1);
        p.RequiresGrad = true;
        var opt = new Sgd([p]);
        new ConstantSchedule(0.3f).Apply(opt);
        opt.LearningRate.ShouldBe(0.3f);
    }
}
