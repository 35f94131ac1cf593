using Rerank.Engine.Backends.Cuda;
using Rerank.Engine.Backends.Cuda.Native;
using Shouldly;
using Xunit;

namespace Rerank.Engine.Tests.Cuda;

public sealed class NativeLibrariesTests
{
    [Fact]
    public void TryLoad_Absent_ReturnsZeroNamingEveryNameAndDirectory()
    {
        var handle = NativeLibraries.TryLoad(["libnot-a-cuda-lib.so.9", "libnot-a-cuda-lib.so"], "/nonexistent/cuda-root", out var from, out var tried);
        handle.ShouldBe(IntPtr.Zero);
        from.ShouldBeNull();
        tried.ShouldContain("libnot-a-cuda-lib.so.9");
        tried.ShouldContain("libnot-a-cuda-lib.so");
        tried.ShouldContain("/nonexistent/cuda-root");
        tried.ShouldContain("/usr/local/cuda", customMessage: "the default toolkit root is probed last");
    }

    [Fact]
    public void SearchDirectories_PathList_ProbesEachRootAndItsLibFolders()
    {
        var dirs = NativeLibraries.SearchDirectories("/opt/a:/opt/b");
        dirs.Take(6).ShouldBe(["/opt/a", "/opt/a/lib64", "/opt/a/lib", "/opt/b", "/opt/b/lib64", "/opt/b/lib"]);
    }

    [Fact]
    public void Names_IncludeCuda13To11Sonames_NewestFirst()
    {
        NativeLibraries.Driver.ShouldContain("libcuda.so.1");
        NativeLibraries.Nvrtc[0].ShouldBe("libnvrtc.so.13");
        NativeLibraries.Cublas[0].ShouldBe("libcublas.so.13");
        NativeLibraries.Nvrtc.ShouldContain("libnvrtc.so.12");
        NativeLibraries.Nvrtc.ShouldContain("libnvrtc.so.11.2");
        NativeLibraries.Cublas.ShouldContain("libcublas.so.12");
        NativeLibraries.Cublas.ShouldContain("libcublas.so.11");
    }

    [Fact]
    public void TryInitialize_NoDriver_GivesOneLineReason()
    {
        if (CudaLibraries.Driver.Loaded)
        {
            return; // a machine with a driver: the GPU tests cover initialisation
        }

        Engine.Cuda.TryInitialize(out var reason).ShouldBeFalse();
        Engine.Cuda.IsAvailable.ShouldBeFalse();
        reason.ShouldStartWith("no GPU: libcuda.so.1 not found");
        reason.ShouldContain(NativeLibraries.PathVariable);
        reason.ShouldNotContain("\n");
    }

    [Fact]
    public void Describe_Always_ListsTheThreeLibraries()
    {
        var info = Engine.Cuda.Describe();
        info.Libraries.Select(l => l.Name).ShouldBe(["libcuda", "libnvrtc", "libcublas"]);
        if (!info.Available)
        {
            info.Reason.ShouldNotBeNullOrEmpty();
            info.DeviceName.ShouldBeNull();
        }
    }

    [Fact]
    public void ToDevice_NoGpu_ThrowsNotSupportedWithReason()
    {
        if (Engine.Cuda.IsAvailable)
        {
            return;
        }

        var t = Tensor.Zeros(2, 3);
        Should.Throw<NotSupportedException>(() => t.ToDevice(Engine.Cuda.Device)).Message.ShouldContain("no GPU: ");
        t.ToCpu().ShouldBeSameAs(t);
    }

    [Fact]
    public void SizeClass_RoundsUpToBuckets()
    {
        DeviceAllocator.SizeClass(1).ShouldBe(256);
        DeviceAllocator.SizeClass(257).ShouldBe(512);
        DeviceAllocator.SizeClass(1 << 20).ShouldBe(1 << 20);
        DeviceAllocator.SizeClass((1 << 20) + 1).ShouldBe((1 << 20) + (1 << 18));
        DeviceAllocator.SizeClass(3_000_000).ShouldBeGreaterThanOrEqualTo(3_000_000);
        DeviceAllocator.SizeClass(3_000_000).ShouldBeLessThan(3_000_000 + (1 << 19));
    }
}
