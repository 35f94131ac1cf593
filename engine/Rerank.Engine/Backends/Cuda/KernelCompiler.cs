using System.Collections.Concurrent;
using Rerank.Engine.Backends.Cuda.Kernels;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>Compiles the kernel sources to PTX through NVRTC for a compute capability; cached per process and architecture.</summary>
internal static class KernelCompiler
{
    private static readonly ConcurrentDictionary<int, Lazy<byte[]>> Cache = new();

    /// <summary>
    /// The virtual architecture to compile for: the device's compute capability (10·major + minor), capped at the
    /// newest one this NVRTC supports (nvrtcGetSupportedArchs from 11.2; 11.0–11.1 reach compute_80, 10.x compute_75).
    /// The driver JIT-compiles the PTX for the actual device.
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

    /// <summary>The NVRTC options used for every compile.</summary>
    public static IReadOnlyList<string> Options(int architecture) => [$"--gpu-architecture=compute_{architecture}", "--std=c++14", "-default-device"];

    /// <summary>The PTX of every kernel for <paramref name="architecture"/> (NUL-terminated, ready for cuModuleLoadData).</summary>
    public static byte[] CompileAll(int architecture) =>
        Cache.GetOrAdd(architecture, a => new Lazy<byte[]>(() => Compile(KernelSources.All, "rerank_kernels.cu", a, out _))).Value;

    public static byte[] Compile(string source, string name, int architecture, out string log)
    {
        CudaLibraries.RequireNvrtc();
        return NvrtcApi.CompileToPtx(source, name, Options(architecture), out log);
    }
}
