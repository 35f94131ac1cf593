using Rerank.Engine.Optim;
using Xunit.Abstractions;

namespace Rerank.Engine.Tests;

/// <summary>A tiny pointer-attention transformer must learn to sort 6 numbers (exact-match accuracy ≥ 95%).</summary>
public sealed class SortTaskTests(ITestOutputHelper output)
{
    private const int N = 6;

    [Fact]
    public void PointerTransformer_SortSixNumbers_ReachesNinetyFivePercentExactMatch()
    {
        var rng = new Rng(2024);
        var model = new PointerSorter(N, 32, rng);
        var opt = new Adam(model.Parameters(), new AdamOptions(LearningRate: 3e-3f));
        var schedule = new WarmupCosineSchedule(3e-3f, 30, 600, 1e-4f);
        const int Batch = 64;
        var positions = PointerSorter.PositionIds(Batch, N);
        for (var step = 0; step < 600; step++)
        {
            var (values, order) = Sample(Batch, rng);
            var previous = new int[Batch * N];
            var mask = Tensor.Full(new TensorShape(Batch, N, N), 1f);
            for (var i = 0; i < Batch; i++)
            {
                previous[i * N] = -1;
                for (var t = 1; t < N; t++)
                {
                    previous[(i * N) + t] = order[(i * N) + t - 1];
                }

                for (var t = 0; t < N; t++)
                {
                    for (var s = 0; s < t; s++)
                    {
                        mask[i, t, order[(i * N) + s]] = 0f;
                    }
                }
            }

            schedule.Apply(opt);
            opt.ZeroGrad();
            using (TensorScope.Begin())
            {
                var loss = Ops.CrossEntropy(model.Logits(values, previous, positions), order, mask);
                loss.Backward();
            }

            GradientClipping.ClipByGlobalNorm(model.Parameters(), 1f);
            opt.Step();
        }

        var (testValues, testOrder) = Sample(1000, new Rng(7));
        var predicted = model.Decode(testValues);
        var exact = 0;
        for (var i = 0; i < 1000; i++)
        {
            exact += predicted.AsSpan(i * N, N).SequenceEqual(testOrder.AsSpan(i * N, N)) ? 1 : 0;
        }

        output.WriteLine($"exact-match accuracy: {exact / 1000.0:P1}");
        (exact / 1000.0).ShouldBeGreaterThanOrEqualTo(0.95);
    }

    private static (Tensor Values, int[] Order) Sample(int b, Rng rng)
    {
        var values = Tensor.Uniform(new TensorShape(b, N), rng, 0f, 1f);
        var order = new int[b * N];
        for (var i = 0; i < b; i++)
        {
            var row = values.Span.Slice(i * N, N).ToArray();
            var idx = Enumerable.Range(0, N).OrderBy(j => row[j]).ToArray();
            idx.CopyTo(order, i * N);
        }

        return (values, order);
    }
}
