using Rerank.Engine.Backends.Cpu;
using Rerank.Engine.Nn;
using Rerank.Engine.Optim;

namespace Rerank.Engine.Tests;

/// <summary>Same seed and data ⇒ bit-identical weights after N steps; the thread count does not change results.</summary>
public sealed class DeterminismTests
{
    private static float[] Train(ulong seed, int threads)
    {
        var saved = ParallelRunner.Threads;
        ParallelRunner.Threads = threads;
        try
        {
            var rng = new Rng(seed);
            var model = new TransformerEncoder(2, 16, 4, 32, rng, dropout: 0.1f);
            var head = new Linear(16, 1, rng);
            var opt = new AdamW([.. model.Parameters(), .. head.Parameters()]);
            var data = new Rng(seed + 1);
            for (var step = 0; step < 8; step++)
            {
                var x = Tensor.Normal(new TensorShape(32, 12, 16), data);
                var y = Tensor.Uniform(new TensorShape(32, 12, 1), data, 0f, 1f);
                opt.ZeroGrad();
                Ops.BinaryCrossEntropyWithLogits(head.Forward(model.Forward(x)), y).Backward();
                GradientClipping.ClipByGlobalNorm(opt.Parameters, 1f);
                opt.Step();
            }

            return [.. opt.Parameters.SelectMany(p => p.ToArray())];
        }
        finally
        {
            ParallelRunner.Threads = saved;
        }
    }

    [Fact]
    public void Train_SameSeedOneThread_BitIdenticalWeights()
    {
        Train(11, 1).ShouldBe(Train(11, 1));
    }

    [Fact]
    public void Train_OneVersusTwoThreads_BitIdenticalWeights()
    {
        Train(12, 2).ShouldBe(Train(12, 1));
    }

    [Fact]
    public void Train_DifferentSeed_DifferentWeights()
    {
        Train(13, 1).ShouldNotBe(Train(14, 1));
    }
}
