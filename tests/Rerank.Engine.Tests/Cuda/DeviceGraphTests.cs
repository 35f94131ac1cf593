using Rerank.Engine.Nn;
using Shouldly;
using Xunit;

namespace Rerank.Engine.Tests.Cuda;

/// <summary>
/// <see cref="DeviceGraph"/>: captured CUDA graphs replayed instead of eager launches. The GPU facts also run without a
/// GPU on the emulated driver (scripts/cuda-emulation.sh), whose capture records and replays like the real one and
/// refuses what a capturing stream refuses; the plain facts need neither.
/// </summary>
public sealed class DeviceGraphTests
{
    private const int Dimension = 8;

    [Fact]
    public void BucketSize_IsTheNextPowerOfTwo_CappedAtTheMaximum()
    {
        DeviceGraph.BucketSize(1, 64).ShouldBe(1);
        DeviceGraph.BucketSize(3, 64).ShouldBe(4);
        DeviceGraph.BucketSize(17, 64).ShouldBe(32);
        DeviceGraph.BucketSize(64, 64).ShouldBe(64);
        DeviceGraph.BucketSize(65, 100).ShouldBe(100);
        Should.Throw<ArgumentOutOfRangeException>(() => DeviceGraph.BucketSize(0, 64));
        Should.Throw<ArgumentOutOfRangeException>(() => DeviceGraph.BucketSize(65, 64)).Message.ShouldContain("65");
    }

    [Fact]
    public void OnTheCpu_EveryCallIsEager()
    {
        var encoder = new TransformerEncoder(1, Dimension, 2, 16, new Rng(3));
        encoder.Eval();
        using var graph = new DeviceGraph(Device.Cpu, x => encoder.Forward(x[0], x[1]));
        graph.Enabled.ShouldBeFalse();
        var (x, mask) = Inputs(2, 5, seed: 1);
        using (Autograd.NoGrad())
        {
            graph.Run(x, mask).ToArray().ShouldBe(encoder.Forward(x, mask).ToArray());
        }

        graph.GraphCount.ShouldBe(0);
        Should.Throw<ArgumentException>(() => graph.Run());
    }

    [GpuFact]
    public void Replays_GiveTheEagerOutputs_ForEveryNewInput()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => encoder.Forward(x[0], x[1]));
        for (var seed = 1; seed <= 3; seed++)
        {
            var (x, mask) = Inputs(2, 5, seed);
            var replayed = graph.Run(x, mask).ToArray();
            replayed.ShouldBe(Eager(encoder, x, mask));
        }

        graph.GraphCount.ShouldBe(1);
        graph.Fallbacks.ShouldBeEmpty();
    }

    [GpuFact]
    public void DeviceInputs_AreCopiedIn()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => encoder.Forward(x[0], x[1]));
        for (var seed = 1; seed <= 2; seed++)
        {
            var (x, mask) = Inputs(2, 5, seed);
            graph.Run(x.ToDevice(Engine.Cuda.Device), mask.ToDevice(Engine.Cuda.Device)).ToArray().ShouldBe(Eager(encoder, x, mask));
        }
    }

    [GpuFact]
    public void MemoryTheGraphWrites_IsNeverHandedToOtherTensors()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => encoder.Forward(x[0], x[1]));
        var (x, mask) = Inputs(2, 5, seed: 1);
        var expected = Eager(encoder, x, mask);
        var output = graph.Run(x, mask);

        // eager scoped work reuses the thread's pooled tensors (larger shapes replace them, and the replaced ones are
        // collected): none of them may be memory the graph writes, so its output survives until the next call
        var (big, bigMask) = Inputs(6, 7, seed: 9);
        using (TensorScope.Inference())
        {
            _ = Eager(encoder, big, bigMask);
        }

        output.ToArray().ShouldBe(expected);

        // the capture's temporaries are garbage now: collected, their blocks go back — to the graph's pool only; a
        // trim must not free them either
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Engine.Cuda.Runtime().Allocator.Trim();
        var sizes = new[] { Dimension, 2 * 5, 2 * 5 * Dimension, 2 * 5 * 16, 2 * 2 * 5 * 5, 2 * 5 * 3 * Dimension };
        var kept = sizes.SelectMany(n => Enumerable.Range(0, 4).Select(i => Tensor.Full(new TensorShape(n), 1000f + n + i, Engine.Cuda.Device))).ToList();
        for (var i = 0; i < 3; i++)
        {
            graph.Run(x, mask).ToArray().ShouldBe(expected);
            using (TensorScope.Inference())
            {
                encoder.Forward(x.ToDevice(Engine.Cuda.Device), mask.ToDevice(Engine.Cuda.Device)).ToArray().ShouldBe(expected);
            }
        }

        foreach (var t in kept)
        {
            var values = t.ToArray();
            values.ShouldAllBe(v => v == values[0], $"a tensor of {t.Count} allocated after the capture was overwritten");
        }
    }

    [GpuFact]
    public void EachShape_GetsItsOwnGraph()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => encoder.Forward(x[0], x[1]));
        var (a, am) = Inputs(2, 5, seed: 1);
        var (b, bm) = Inputs(4, 3, seed: 2);
        graph.Run(a, am).ToArray().ShouldBe(Eager(encoder, a, am));
        graph.Run(b, bm).ToArray().ShouldBe(Eager(encoder, b, bm));
        graph.Run(a, am).ToArray().ShouldBe(Eager(encoder, a, am));
        graph.GraphCount.ShouldBe(2);
    }

    [GpuFact]
    public void HostDataInsideTheFunction_FallsBackToEagerCalls_WithTheReason()
    {
        var encoder = Encoder();
        var bias = new float[Dimension];
        using var uploads = new DeviceGraph(Engine.Cuda.Device, x =>
        {
            bias[0] += 1f; // host data that changes per call: a graph would replay the first call's
            return Ops.Add(encoder.Forward(x[0], x[1]), Tensor.FromArray(bias, new TensorShape(Dimension), Engine.Cuda.Device));
        });
        var (x, mask) = Inputs(2, 5, seed: 1);
        var first = uploads.Run(x, mask).ToArray();
        var second = uploads.Run(x, mask).ToArray();
        second[0].ShouldBe(first[0] + 1f, 1e-5f);
        uploads.GraphCount.ShouldBe(0);
        uploads.Fallbacks.ShouldHaveSingleItem().ShouldContain("uploaded from a host array");

        using var reads = new DeviceGraph(Engine.Cuda.Device, x => Ops.Affine(x[0], x[0].ToArray()[0], 0f));
        reads.Run(Tensor.FromArray([2f, 3f], new TensorShape(2))).ToArray().ShouldBe([4f, 6f]);
        reads.Fallbacks.ShouldHaveSingleItem().ShouldContain("read back to the host");
    }

    [GpuFact]
    public void SeveralOutputs_AreAllReplayed()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x =>
        {
            var y = encoder.Forward(x[0], x[1]);
            return [y, Ops.Add(y, x[0])];
        });
        for (var seed = 1; seed <= 2; seed++)
        {
            var (x, mask) = Inputs(2, 5, seed);
            var outputs = graph.RunAll(x, mask);
            var y = Eager(encoder, x, mask);
            outputs[0].ToArray().ShouldBe(y);
            outputs[1].ToArray().ShouldBe([.. y.Zip(x.ToArray(), (a, b) => a + b)]);
        }

        graph.GraphCount.ShouldBe(1);
    }

    [GpuFact]
    public void AFunctionThatThrowsWhileCaptured_EndsTheCaptureAndThrows()
    {
        var calls = 0;
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => ++calls == 2 ? throw new IndexOutOfRangeException("a bug in the function") : Ops.Add(x[0], x[0]));
        var x = Tensor.FromArray([1f, 2f], new TensorShape(2));
        Should.Throw<IndexOutOfRangeException>(() => graph.Run(x)).Message.ShouldBe("a bug in the function");

        // the stream is not left capturing: synchronising work still runs
        Tensor.FromArray([3f], new TensorShape(1), Engine.Cuda.Device).ToArray().ShouldBe([3f]);
        graph.Run(x).ToArray().ShouldBe([2f, 4f]);
    }

    [GpuFact]
    public void Disabled_RunsEveryCallEagerly()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => encoder.Forward(x[0], x[1]), enabled: false);
        var (x, mask) = Inputs(2, 5, seed: 1);
        graph.Run(x, mask).ToArray().ShouldBe(Eager(encoder, x, mask));
        graph.GraphCount.ShouldBe(0);
    }

    [GpuFact]
    public void WorkerThreadsOnTheirOwnStreams_ReplayTheirOwnGraphs()
    {
        var encoder = Encoder();
        using var graph = new DeviceGraph(Engine.Cuda.Device, x => encoder.Forward(x[0], x[1]));
        var inputs = Enumerable.Range(1, 4).Select(s => Inputs(2, 5, s)).ToArray();
        var expected = inputs.Select(i => Eager(encoder, i.X, i.Mask)).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 2).Select(w => new Thread(() =>
        {
            using var stream = Engine.Cuda.UseOwnStream();
            for (var round = 0; round < 3; round++)
            {
                for (var i = w; i < inputs.Length; i += 2)
                {
                    if (!graph.Run(inputs[i].X, inputs[i].Mask).ToArray().SequenceEqual(expected[i]))
                    {
                        failures.Add($"worker {w}, round {round}, input {i}");
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        failures.ShouldBeEmpty();
        graph.GraphCount.ShouldBe(2);
    }

    private static TransformerEncoder Encoder()
    {
        var encoder = new TransformerEncoder(1, Dimension, 2, 16, new Rng(3));
        encoder.Eval();
        encoder.To(Engine.Cuda.Device);
        return encoder;
    }

    private static float[] Eager(TransformerEncoder encoder, Tensor x, Tensor mask)
    {
        using var scope = TensorScope.Inference();
        return encoder.Forward(x.ToDevice(Engine.Cuda.Device), mask.ToDevice(Engine.Cuda.Device)).ToArray();
    }

    private static (Tensor X, Tensor Mask) Inputs(int batch, int n, int seed)
    {
        var rng = new Rng((ulong)seed);
        var x = Tensor.FromArray([.. Enumerable.Range(0, batch * n * Dimension).Select(_ => rng.NextFloat() - 0.5f)], new TensorShape(batch, n, Dimension));
        var mask = Tensor.FromArray([.. Enumerable.Range(0, batch * n).Select(i => i % n == n - 1 && i / n == 0 ? 0f : 1f)], new TensorShape(batch, n));
        return (x, mask);
    }
}
