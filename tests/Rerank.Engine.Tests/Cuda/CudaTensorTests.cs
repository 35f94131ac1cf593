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
}
