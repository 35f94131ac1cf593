using Rerank.Engine.Backends.Cuda;
using Rerank.Engine.Backends.Cuda.Kernels;
using Rerank.Engine.Backends.Cuda.Native;
using Shouldly;
using Xunit;

namespace Rerank.Engine.Tests.Cuda;

public sealed class KernelCompilerTests
{
    public static TheoryData<string> Files => [.. KernelSources.Files];

    /// <summary>The oldest architecture this NVRTC targets (CUDA 12: compute_50, CUDA 13: compute_75; before 11.2 it cannot say: 52).</summary>
    private static int Oldest => NvrtcApi.SupportedArchitectures() is { Length: > 0 } archs ? archs.Min() : 52;

    [NvrtcFact]
    public void CompileAll_EveryKernel_AppearsAsPtxEntry()
    {
        var ptx = Engine.Cuda.CompileKernels(80); // every NVRTC from 11.0 to 13.x targets compute_80
        var names = KernelSources.KernelNames(KernelSources.All);
        names.Count.ShouldBeGreaterThan(25);
        foreach (var name in names)
        {
            ptx.ShouldContain($".entry {name}(");
        }

        ptx.ShouldContain(".target sm_80");
    }

    [NvrtcFact]
    public void Compile_EachFileAlone_CompilesWithoutWarnings()
    {
        foreach (var file in KernelSources.Files)
        {
            var ptx = KernelCompiler.Compile(KernelSources.Program(file), file, Oldest, cubin: false, out var log);
            ptx.Length.ShouldBeGreaterThan(100, file);
            log.ShouldBeEmpty(file);
        }
    }

    [NvrtcFact]
    public void Compile_SyntaxError_ThrowsWithNvrtcLog()
    {
        var e = Should.Throw<CudaException>(() => KernelCompiler.Compile("extern \"C\" __global__ void broken(float* x) { x[0] = undefined_name; }", "broken.cu", 80, cubin: false, out _));
        e.Message.ShouldContain("broken.cu");
        e.Message.ShouldContain("undefined_name");
    }

    [NvrtcFact]
    public void CompileAll_Cubin_IsAnElfImageForTheRealArchitecture()
    {
        var cubin = KernelCompiler.CompileAll(80, cubin: true);
        cubin.Length.ShouldBeGreaterThan(1000);
        cubin.Take(4).ShouldBe(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' });
        KernelCompiler.Options(80, cubin: true)[0].ShouldBe("--gpu-architecture=sm_80");
        KernelCompiler.Options(80, cubin: false)[0].ShouldBe("--gpu-architecture=compute_80");
    }

    [NvrtcFact]
    public void Version_RealLibrary_ReportsMajorAndSupportedArchitectures()
    {
        var (major, _) = NvrtcApi.Version();
        major.ShouldBeGreaterThanOrEqualTo(11);
        NvrtcApi.SupportedArchitectures().ShouldContain(80);
    }

    [Theory]
    [InlineData(90, new[] { 35, 50, 70, 80, 86, 89, 90 }, 11, 90)]
    [InlineData(90, new[] { 35, 50, 70, 80, 86 }, 11, 86)]
    [InlineData(86, new int[0], 11, 80)]
    [InlineData(75, new int[0], 11, 75)]
    [InlineData(90, new int[0], 12, 90)]
    public void TargetArchitecture_CapsAtNewestSupported(int capability, int[] supported, int nvrtcMajor, int expected) =>
        KernelCompiler.TargetArchitecture(capability, supported, nvrtcMajor).ShouldBe(expected);

    [Fact]
    public void TargetArchitecture_DeviceOlderThanAll_ThrowsNamingCapability() =>
        Should.Throw<CudaException>(() => KernelCompiler.TargetArchitecture(30, [50, 70], 12)).Message.ShouldContain("3.0");
}
