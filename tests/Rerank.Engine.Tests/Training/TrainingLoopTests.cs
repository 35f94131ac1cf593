using Rerank.Engine.Optim;
using Rerank.Engine.Training;

namespace Rerank.Engine.Tests.Training;

public sealed class TrainingLoopTests
{
    // Five examples x_i = i; the model is one weight w; the loss of a slice is mean((w - x_i)^2), minimised by the mean.
    private static readonly float[] Examples = [0f, 1f, 2f, 3f, 4f];

    [Fact]
    public void Run_EveryEpoch_VisitsEachExampleOnceInSlicesOfTheBatchSize()
    {
        var w = Weight(0f);
        var slices = new List<int[]>();

        TrainingLoop.Run([w], Examples.Length, Settings(epochs: 2, batch: 2), new Rng(7), s =>
        {
            slices.Add([.. s]);
            return Loss(w, s);
        }, () => null);

        slices.Select(s => s.Length).ShouldBe([2, 2, 1, 2, 2, 1]);
        slices.Take(3).SelectMany(s => s).Order().ShouldBe([0, 1, 2, 3, 4]);
        slices.Skip(3).SelectMany(s => s).Order().ShouldBe([0, 1, 2, 3, 4]);
    }

    [Fact]
    public void Run_SameSeed_SameWeightsToTheBit()
    {
        float Train(ulong seed)
        {
            var w = Weight(0f);
            TrainingLoop.Run([w], Examples.Length, Settings(epochs: 5, batch: 2), new Rng(seed), s => Loss(w, s), () => null);
            return w[0];
        }

        BitConverter.SingleToInt32Bits(Train(3)).ShouldBe(BitConverter.SingleToInt32Bits(Train(3)));
        Train(3).ShouldNotBe(Train(4), "different shuffles give different slices, so different steps");
    }

    [Fact]
    public void Run_FullBatch_FirstStepIsAdamsSignStep()
    {
        // One step on all examples: dL/dw = 2(w - 2) = -4 at w = 0; Adam's first step is lr·sign(g) = +0.1.
        var w = Weight(0f);

        var curve = TrainingLoop.Run([w], Examples.Length, Settings(epochs: 1, batch: 5), new Rng(1), s => Loss(w, s), () => null);

        w[0].ShouldBe(0.1f, 1e-6f);
        curve.ShouldHaveSingleItem().TrainLoss.ShouldBe(6.0, 1e-6); // mean of 0, 1, 4, 9, 16
    }

    [Fact]
    public void Run_KeepBest_RestoresTheWeightsOfTheLowestValidationEpoch()
    {
        var w = Weight(0f);
        var validation = new Queue<double?>([3.0, 1.0, 2.0, null]);
        var afterEpoch = new List<float>();

        var curve = TrainingLoop.Run([w], Examples.Length, Settings(epochs: 4, batch: 5, keepBest: true), new Rng(1), s => Loss(w, s), () =>
        {
            afterEpoch.Add(w[0]);
            return validation.Dequeue();
        });

        w[0].ShouldBe(afterEpoch[1]);
        curve.Select(c => c.ValidationLoss).ShouldBe([3.0, 1.0, 2.0, null]);
    }

    [Fact]
    public void Run_WithoutKeepBest_EndsWithTheLastWeights()
    {
        var w = Weight(0f);
        var last = 0f;

        TrainingLoop.Run([w], Examples.Length, Settings(epochs: 3, batch: 5), new Rng(1), s => Loss(w, s), () =>
        {
            last = w[0];
            return -w[0];
        });

        w[0].ShouldBe(last);
    }

    [Fact]
    public void Run_NonFiniteLossWithThrow_NamesModelEpochAndStep()
    {
        var w = Weight(0f);
        var calls = 0;

        var e = Should.Throw<TrainingDivergedException>(() => TrainingLoop.Run([w], Examples.Length, Settings(epochs: 2, batch: 2), new Rng(1), s =>
            ++calls == 5 ? Ops.Mul(Loss(w, s), Tensor.Scalar(float.NaN)) : Loss(w, s), () => null, new TrainingHooks { Name = "probe" }));

        e.Message.ShouldBe("probe: training loss became NaN at epoch 2, step 2");
    }

    [Fact]
    public void Run_NonFiniteGradientWithSkipStep_LeavesTheWeightsAndGoesOn()
    {
        var w = Weight(1f);
        var seen = new List<float>();

        var curve = TrainingLoop.Run([w], 1, Settings(epochs: 2, batch: 1, skip: true), new Rng(1), s =>
        {
            seen.Add(w[0]);
            return seen.Count == 1 ? Ops.Mul(Ops.Sum(Ops.Square(w)), Tensor.Scalar(float.PositiveInfinity)) : Loss(w, s);
        }, () => null);

        seen.ShouldBe([1f, 1f]);
        curve.Count.ShouldBe(2);
        double.IsInfinity(curve[0].TrainLoss).ShouldBeTrue();
    }

    [Fact]
    public void Run_Hooks_ReportEveryStepAndPhaseAndStartEveryEpoch()
    {
        var w = Weight(0f);
        var steps = new List<(int Epoch, int Step, int Steps)>();
        var phases = new HashSet<string>();
        var epochs = 0;

        TrainingLoop.Run([w], Examples.Length, Settings(epochs: 2, batch: 2), new Rng(1), s => Loss(w, s), () => null, new TrainingHooks
        {
            EpochStarting = () => epochs++,
            StepDone = (epoch, _, step, count, _) => steps.Add((epoch, step, count)),
            Phase = (phase, ticks) =>
            {
                ticks.ShouldBeGreaterThanOrEqualTo(0);
                phases.Add(phase);
            },
        });

        epochs.ShouldBe(2);
        steps.ShouldBe([(1, 1, 3), (1, 2, 3), (1, 3, 3), (2, 1, 3), (2, 2, 3), (2, 3, 3)]);
        phases.Order().ShouldBe(["train.backward", "train.forward", "train.step"]);
    }

    [Fact]
    public void Run_Cancelled_StopsBeforeTheNextStep()
    {
        var w = Weight(0f);
        using var cancellation = new CancellationTokenSource();
        var calls = 0;

        Should.Throw<OperationCanceledException>(() => TrainingLoop.Run([w], Examples.Length, Settings(epochs: 3, batch: 1), new Rng(1), s =>
        {
            if (++calls == 2)
            {
                cancellation.Cancel();
            }

            return Loss(w, s);
        }, () => null, new TrainingHooks { Cancellation = cancellation.Token }));

        calls.ShouldBe(2);
    }

    [Fact]
    public void Run_SkipStepWithoutClipping_IsRefused() =>
        Should.Throw<ArgumentException>(() => TrainingLoop.Run([Weight(0f)], 1, new TrainingLoopSettings(1, 1, new AdamOptions(), NonFinite: NonFinitePolicy.SkipStep), new Rng(1), s => Tensor.Scalar(0f), () => null))
            .Message.ShouldContain("set a clip norm above 0");

    private static Tensor Weight(float value)
    {
        var w = Tensor.FromArray([value]);
        w.RequiresGrad = true;
        return w;
    }

    private static Tensor Loss(Tensor w, ArraySegment<int> slice)
    {
        Tensor? total = null;
        foreach (var i in slice)
        {
            var term = Ops.Sum(Ops.Square(Ops.Sub(w, Tensor.FromArray([Examples[i]]))));
            total = total is null ? term : Ops.Add(total, term);
        }

        return Ops.Mul(total!, Tensor.Scalar(1f / slice.Count));
    }

    private static TrainingLoopSettings Settings(int epochs, int batch, bool keepBest = false, bool skip = false) =>
        new(epochs, batch, new AdamOptions(LearningRate: 0.1f), ClipNorm: skip ? 1f : 0f, KeepBest: keepBest, NonFinite: skip ? NonFinitePolicy.SkipStep : NonFinitePolicy.Throw);
}
