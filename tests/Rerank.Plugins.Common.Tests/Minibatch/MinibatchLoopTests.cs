using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Optim;
using Rerank.Engine.Training;

namespace Rerank.Plugins.Common.Tests.Minibatch;

public sealed class MinibatchLoopTests
{
    [Fact]
    public void Run_OneAdamStepOnSquaredWeight_MovesByTheLearningRate()
    {
        // loss = w², w = 1: gradient 2; Adam's first bias-corrected step is lr · g / |g| = 0.1, so w = 0.9 and the
        // validation loss after the epoch is 0.81 (ε = 1e-8 changes neither at float precision).
        var model = new ExposureBias(1);
        var w = model.Parameters()[0];
        w.CopyFrom([1f]);
        var curve = MinibatchLoop.Run(
            model,
            [0, 1],
            new TrainingLoopSettings(1, 2, new AdamOptions(LearningRate: 0.1f), ClipNorm: 0f),
            new Rng(1),
            _ => Ops.Sum(Ops.Square(w)),
            () => w[0] * w[0],
            new TrainingContext(1),
            new PhaseTimer(),
            "test");

        w[0].ShouldBe(0.9f, 1e-6f);
        var epoch = curve.ShouldHaveSingleItem();
        epoch.TrainLoss.ShouldBe(1.0, 1e-9);
        epoch.ValidationLoss!.Value.ShouldBe(0.81, 1e-6);
    }

    [Fact]
    public void Run_LossNotFinite_ThrowsNamingEpochAndStep()
    {
        var model = new ExposureBias(1);
        var w = model.Parameters()[0];
        var message = Should.Throw<ComponentException>(() => MinibatchLoop.Run(
            model,
            [0, 1, 2],
            new TrainingLoopSettings(1, 1, new AdamOptions(LearningRate: 0.1f), ClipNorm: 1f),
            new Rng(1),
            _ => Ops.Log(Ops.Sum(Ops.Mul(w, Tensor.FromArray([-1f], new TensorShape(1, 1))))),
            () => null,
            new TrainingContext(1),
            new PhaseTimer(),
            "probe")).Message;

        message.ShouldContain("probe");
        message.ShouldContain("epoch 1, step 1");
    }
}
