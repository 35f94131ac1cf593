using Rerank.Engine.Nn;
using Shouldly;
using Xunit;

namespace Rerank.Engine.Tests.Cuda;

/// <summary>Tensors and modules on the GPU (skipped without one).</summary>
public sealed class CudaTensorTests
{
    [GpuFact]
    public void ToDevice_RoundTrip_KeepsValues()
    {
        var t = Tensor.FromArray([1f, -2f, 3.5f, 4f], new TensorShape(2, 2));
        var g = t.ToDevice(Engine.Cuda.Device);
        g.Device.ShouldBe(Engine.Cuda.Device);
        g.ToArray().ShouldBe(t.ToArray());
        g.ToCpu().ToArray().ShouldBe(t.ToArray());
        Tensor.FromArray([7f], new TensorShape(1), Engine.Cuda.Device).ToScalar().ShouldBe(7f);
    }

    [GpuFact]
    public void Span_OnCudaTensor_ThrowsNamingShapeAndDevice()
    {
        var g = Tensor.Zeros(new TensorShape(3, 4), Engine.Cuda.Device);
        var e = Should.Throw<InvalidOperationException>(() => g.Span.Length);
        e.Message.ShouldContain("[3, 4]");
        e.Message.ShouldContain("cuda:0");
    }

    [GpuFact]
    public void ModuleTo_Cuda_MovesEveryParameterAndSurvivesSaveLoad()
    {
        var a = new TransformerEncoder(1, 16, 2, 32, new Rng(1));
        a.To(Engine.Cuda.Device);
        a.Parameters().ShouldAllBe(p => p.Device == Engine.Cuda.Device);
        var path = Path.Combine(Path.GetTempPath(), $"cuda-{Guid.NewGuid():N}.safetensors");
        try
        {
            a.Save(path);
            var b = new TransformerEncoder(1, 16, 2, 32, new Rng(2));
            b.Load(path);
            b.Parameters().Zip(a.Parameters()).ShouldAllBe(p => p.First.ToArray().SequenceEqual(p.Second.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GpuFact]
    public void Backward_OnCuda_SeedsOnTheDevice()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], new TensorShape(3), Engine.Cuda.Device);
        x.RequiresGrad = true;
        Ops.Sum(Ops.Square(x)).Backward();
        x.Grad!.ToArray().ShouldBe([2f, 4f, 6f]);
    }

    [GpuFact]
    public void UseOwnStream_ConcurrentThreads_EachMatchTheCpuForward()
    {
        // A model moved to the GPU on this thread (shared stream), then run by four threads at once, each on its own
        // stream, cuBLAS handle and memory pool, 25 batches each: every result equals the CPU forward (within 1e-4).
        var model = new TransformerEncoder(1, 32, 4, 64, new Rng(3));
        var inputs = Enumerable.Range(0, 4).Select(i => Tensor.Normal(new TensorShape(8, 20, 32), new Rng((ulong)(10 + i)))).ToArray();
        float[][] expected;
        using (TensorScope.Inference())
        {
            expected = [.. inputs.Select(x => model.Forward(x, null).ToArray())];
        }

        model.To(Engine.Cuda.Device);
        var errors = new double[inputs.Length];
        var threads = Enumerable.Range(0, inputs.Length).Select(i => new Thread(() =>
        {
            using var stream = Engine.Cuda.UseOwnStream();
            using var nested = Engine.Cuda.UseOwnStream(); // nested: the same stream
            for (var round = 0; round < 25; round++)
            {
                using var scope = TensorScope.Inference();
                var y = model.Forward(inputs[i].ToDevice(Engine.Cuda.Device), null).ToArray();
                errors[i] = Math.Max(errors[i], y.Zip(expected[i]).Max(p => Math.Abs(p.First - p.Second)));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        errors.ShouldAllBe(e => e < 1e-4);
    }

    [GpuFact]
    public void UseOwnStream_DisposedOnAnotherThread_Throws()
    {
        IDisposable? scope = null;
        var opener = new Thread(() => scope = Engine.Cuda.UseOwnStream());
        opener.Start();
        opener.Join();
        Should.Throw<InvalidOperationException>(() => scope!.Dispose()).Message.ShouldContain("thread that opened it");
    }
}
