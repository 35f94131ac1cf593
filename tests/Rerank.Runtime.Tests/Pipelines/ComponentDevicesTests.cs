using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Runtime.Pipelines;

namespace Rerank.Runtime.Tests.Pipelines;

public sealed class ComponentDevicesTests
{
    private static ComponentSpec Spec(string? device) => new("nar4rec/generator", null, null, new SourceLocation("p.yaml", 4, 9), device);

    [Theory]
    [InlineData(null)]
    [InlineData("cpu")]
    public void Resolve_NotCuda_IsCpuWithoutNotice(string? device)
    {
        using var log = new StringWriter();
        ComponentDevices.Resolve(Spec(device), log).ShouldBe("cpu");
        log.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void Resolve_CudaWithoutGpu_FallsBackToCpuWithOneLineOnce()
    {
        if (Cuda.TryInitialize(out _))
        {
            using var quiet = new StringWriter();
            ComponentDevices.Resolve(Spec("cuda"), quiet).ShouldBe("cuda");
            quiet.ToString().ShouldBeEmpty();
            return;
        }

        using var log = new StringWriter();
        ComponentDevices.Resolve(Spec("cuda"), log).ShouldBe("cpu");
        ComponentDevices.Resolve(Spec("cuda"), log).ShouldBe("cpu");
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1);
        lines[0].ShouldContain("p.yaml:4:9");
        lines[0].ShouldContain("no GPU: libcuda.so.1 not found");
        lines[0].ShouldContain("running on the CPU backend");
    }

    [Theory]
    [InlineData("cpu", true)]
    [InlineData("cuda", true)]
    [InlineData("CUDA", false)]
    [InlineData("gpu", false)]
    public void IsKnown_OnlyLowerCaseCpuAndCuda(string device, bool known) => ComponentDevices.IsKnown(device).ShouldBe(known);
}
