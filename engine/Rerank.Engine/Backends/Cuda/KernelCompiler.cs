using System.Collections.Concurrent;
using Rerank.Engine.Backends.Cuda.Kernels;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// Compiles the kernel sources through NVRTC, cached per process and target: to CUBIN for the device's own
/// architecture when NVRTC supports it (<c>sm_XY</c>: machine code, no driver JIT, so it also loads on a driver older
/// than the NVRTC — CUDA minor-version compatibility), else to PTX for the newest virtual architecture NVRTC has
/// (<c>compute_XY</c>), which the driver JIT-compiles.
/// </summary>
internal static class KernelCompiler
{
    private static readonly ConcurrentDictionary<(int Arch, bool Cubin), Lazy<byte[]>> Cache = new();

    /// <summary>
    /// The architecture to compile for: the device's compute capability (10·major + minor), capped at the newest one
    /// this NVRTC supports (nvrtcGetSupportedArchs from 11.2; 11.0–11.1 reach compute_80, 10.x compute_75).
    /// </summary>
    public static int TargetArchitecture(int capability, int[] supported, int nvrtcMajor)
    {
        if (supported.Length > 0)
        {
            var fitting = supported.Where(a => a <= capability).ToArray();
            return fitting.Length > 0
                ? fitting.Max()
                : throw new CudaException($"NVRTC supports compute_{supported.Min()}…compute_{supported.Max()}; the device's compute capability {capability / 10}.{capability % 10} is older than any of them.");
        }

        var cap = nvrtcMajor switch
        {
            >= 12 => capability,
            11 => 80,
            _ => 75,
        };
        return Math.Min(capability, cap);
    }

    /// <summary>The NVRTC options: <c>sm_XY</c> for CUBIN, <c>compute_XY</c> for PTX.</summary>
    public static IReadOnlyList<string> Options(int architecture, bool cubin) =>
        [$"--gpu-architecture={(cubin ? "sm" : "compute")}_{architecture}", "--std=c++14", "-default-device"];

    /// <summary>Every kernel as one image for <paramref name="architecture"/>: CUBIN, or NUL-terminated PTX (both load with cuModuleLoadData).</summary>
    public static byte[] CompileAll(int architecture, bool cubin = false) =>
        Cache.GetOrAdd((architecture, cubin), key => new Lazy<byte[]>(() => Compile(KernelSources.All, "rerank_kernels.cu", key.Arch, key.Cubin, out _))).Value;

    public static byte[] Compile(string source, string name, int architecture, bool cubin, out string log)
    {
        CudaLibraries.RequireNvrtc();
        if (cubin && !NvrtcApi.CanEmitCubin)
        {
            throw new CudaException("this NVRTC cannot emit CUBIN (nvrtcGetCUBIN needs CUDA 11.1+)");
        }

        return NvrtcApi.Compile(source, name, Options(architecture, cubin), cubin, out log);
    }
}
