using Rerank.Engine.Nn;

namespace Rerank.Engine.Tests;

public sealed class TensorScopeTests
{
    [Fact]
    public void Inference_SteadyState_AllocatesNoManagedMemory()
    {
        var model = new TransformerEncoder(2, 16, 4, 32, new Rng(1));
        model.Eval();
        var x = Tensor.Normal(GradCheck.S(8, 10, 16), new Rng(2));
        var mask = Tensor.Full(GradCheck.S(8, 10), 1f);
        var output = new float[x.Count];
        void Run()
        {
            using var scope = TensorScope.Inference();
            model.Forward(x, mask).CopyTo(output);
        }

        Run();
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            Run();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public void Inference_SameInput_SameOutputAsUnpooled()
    {
        var model = new TransformerEncoder(1, 8, 2, 16, new Rng(3));
        model.Eval();
        var x = Tensor.Normal(GradCheck.S(2, 5, 8), new Rng(4));
        float[] plain;
        using (Autograd.NoGrad())
        {
            plain = model.Forward(x).ToArray();
        }

        for (var i = 0; i < 3; i++)
        {
            using var scope = TensorScope.Inference();
            model.Forward(x).ToArray().ShouldBe(plain);
        }
    }

    [Fact]
    public void Inference_DisablesGradientsOnlyInside()
    {
        var w = Tensor.Zeros(2);
        w.RequiresGrad = true;
        using (TensorScope.Inference())
        {
            Autograd.IsEnabled.ShouldBeFalse();
            Ops.Mul(w, w).RequiresGrad.ShouldBeFalse();
        }

        Autograd.IsEnabled.ShouldBeTrue();
    }

    [Fact]
    public void Begin_TrainingStep_MatchesUnpooledGradients()
    {
        var model = new Linear(3, 2, new Rng(5));
        var x = Tensor.Normal(GradCheck.S(4, 3), new Rng(6));
        Ops.Sum(Ops.Tanh(model.Forward(x))).Backward();
        var expected = model.Weight.Grad!.ToArray();
        model.ZeroGrad();
        using (TensorScope.Begin())
        {
            Ops.Sum(Ops.Tanh(model.Forward(x))).Backward();
        }

        model.Weight.Grad!.ToArray().ShouldBe(expected);
    }

    [Fact]
    public void Module_CreatedInsideScope_Throws()
    {
        using var scope = TensorScope.Begin();
        Should.Throw<InvalidOperationException>(() => new Linear(2, 2, new Rng(1))).Message.ShouldContain("TensorScope");
    }
}
