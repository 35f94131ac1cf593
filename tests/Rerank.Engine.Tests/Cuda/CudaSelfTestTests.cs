using Shouldly;
using Xunit;

namespace Rerank.Engine.Tests.Cuda;

public sealed class CudaSelfTestTests
{
    public static TheoryData<string> Checks => [.. CudaSelfTest.Names];

    [Fact]
    public void Run_CpuAgainstCpu_EveryCheckRunsWithZeroError()
    {
        // Runs every check body on the CPU twice: proves the inputs are seeded and every case is well-formed, so a
        // GPU failure is the kernel's, not the harness's.
        foreach (var name in CudaSelfTest.Names)
        {
            var result = CudaSelfTest.Run(name, Device.Cpu, Device.Cpu);
            result.Error.ShouldBeNull(name);
            result.MaxError.ShouldBe(0, name);
            result.Passed.ShouldBeTrue(name);
        }
    }

    [Fact]
    public void Names_CoverEveryBackendKernel()
    {
        var kernels = typeof(Backends.IBackend).GetMethods().Select(m => m.Name).Where(n => n is not ("Allocate" or "get_Device")).ToArray();
        foreach (var kernel in kernels)
        {
            CudaSelfTest.Names.ShouldContain(n => n.StartsWith(kernel + " ", StringComparison.Ordinal) || n == kernel, kernel);
        }
    }

    [Fact]
    public void MaxError_MixesAbsoluteAndRelative()
    {
        CudaSelfTest.MaxError([0.5f, 100f], [0.5001f, 100.1f]).ShouldBe(1e-3, 1e-6);
        CudaSelfTest.MaxError([float.NegativeInfinity], [float.NegativeInfinity]).ShouldBe(0);
        CudaSelfTest.MaxError([1f], [float.NaN]).ShouldBe(double.PositiveInfinity);
        CudaSelfTest.MaxError([1f], [1f, 2f]).ShouldBe(double.PositiveInfinity);
    }

    [Fact]
    public void Run_UnknownName_ThrowsListingChecks() =>
        Should.Throw<ArgumentException>(() => CudaSelfTest.Run("Nope", Device.Cpu, Device.Cpu)).Message.ShouldContain("Softmax");

    [Fact]
    public void Run_NoGpu_ThrowsWithReason()
    {
        if (Engine.Cuda.TryInitialize(out _))
        {
            return; // a GPU host runs the kernel theory below instead
        }

        Should.Throw<NotSupportedException>(() => CudaSelfTest.Run()).Message.ShouldStartWith("no GPU: ");
    }

    [GpuTheory]
    [MemberData(nameof(Checks))]
    public void Run_OnGpu_MatchesCpuWithinTolerance(string name)
    {
        var result = CudaSelfTest.Run(name, Device.Cpu, Engine.Cuda.Device);
        result.Error.ShouldBeNull();
        result.MaxError.ShouldBeLessThanOrEqualTo(result.Tolerance, name);
    }
}
