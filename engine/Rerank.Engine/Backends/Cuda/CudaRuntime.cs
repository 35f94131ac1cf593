using System.Collections.Frozen;
using Rerank.Engine.Backends.Cuda.Kernels;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// The process's CUDA state for device 0: the retained primary context, one stream every kernel, copy and GEMM is
/// queued on (so work is ordered and pooled memory can be reused without events), the cuBLAS handle bound to it,
/// the kernel module compiled through NVRTC for the device's architecture, and the pooled allocator.
/// </summary>
internal sealed unsafe class CudaRuntime
{
    public const int Threads = 256;

    [ThreadStatic]
    private static bool _current;

    private readonly PrimaryContextHandle _context;
    private readonly CudaModuleHandle _module;
    private readonly FrozenDictionary<string, IntPtr> _functions;

    private CudaRuntime(int ordinal)
    {
        var device = DriverApi.Device(ordinal);
        Ordinal = ordinal;
        Name = DriverApi.DeviceName(device);
        Major = DriverApi.Attribute(device, DriverApi.AttributeComputeCapabilityMajor);
        Minor = DriverApi.Attribute(device, DriverApi.AttributeComputeCapabilityMinor);
        Multiprocessors = DriverApi.Attribute(device, DriverApi.AttributeMultiprocessorCount);
        TotalMemory = DriverApi.TotalMemory(device);
        DriverVersion = DriverApi.DriverVersion();
        _context = new PrimaryContextHandle(device);
        MakeCurrent();
        Stream = new StreamHandle();
        var nvrtcVersion = NvrtcApi.Version();
        NvrtcVersion = $"{nvrtcVersion.Major}.{nvrtcVersion.Minor}";
        var capability = (Major * 10) + Minor;
        Architecture = KernelCompiler.TargetArchitecture(capability, NvrtcApi.SupportedArchitectures(), nvrtcVersion.Major);
        (_module, KernelImage) = LoadKernels(capability, Architecture);
        _functions = KernelSources.KernelNames(KernelSources.All).ToFrozenDictionary(n => n, n => DriverApi.Function(_module.DangerousGetHandle(), n));
        Blas = new CublasHandle();
        CublasApi.SetStream(Blas.DangerousGetHandle(), Stream.DangerousGetHandle());
        CublasVersion = CublasApi.Version(Blas.DangerousGetHandle());
        Allocator = new DeviceAllocator();
    }

    public int Ordinal { get; }

    public string Name { get; }

    public int Major { get; }

    public int Minor { get; }

    public int Multiprocessors { get; }

    public ulong TotalMemory { get; }

    public int DriverVersion { get; }

    public string NvrtcVersion { get; }

    public int CublasVersion { get; }

    /// <summary>The architecture the kernels were compiled for (XY of sm_XY or compute_XY).</summary>
    public int Architecture { get; }

    /// <summary>What was loaded: <c>sm_XY cubin</c> or <c>compute_XY ptx</c> (JIT-compiled by the driver).</summary>
    public string KernelImage { get; }

    public StreamHandle Stream { get; }

    public CublasHandle Blas { get; }

    public DeviceAllocator Allocator { get; }

    public IntPtr StreamPtr => Stream.DangerousGetHandle();

    public IntPtr BlasPtr => Blas.DangerousGetHandle();

    /// <summary>Serialises cuBLAS calls: the handle is shared by every thread (they all queue on the one stream).</summary>
    public Lock BlasLock { get; } = new();

    /// <summary>Initialises the driver and builds the runtime for device <paramref name="ordinal"/>; throws <see cref="CudaException"/> with the reason.</summary>
    public static CudaRuntime Create(int ordinal)
    {
        foreach (var lib in new[] { CudaLibraries.Driver, CudaLibraries.Nvrtc, CudaLibraries.Cublas })
        {
            if (!lib.Loaded)
            {
                throw new CudaException(lib.Reason ?? $"{lib.Label} did not load");
            }
        }

        var r = DriverApi.Init();
        if (r != 0)
        {
            throw new CudaException($"cuInit failed: {DriverApi.Describe(r)} (no usable NVIDIA driver or device)", r);
        }

        var count = DriverApi.DeviceCount(out r);
        if (r != 0 || count <= ordinal)
        {
            throw new CudaException(r != 0 ? $"cuDeviceGetCount failed: {DriverApi.Describe(r)}" : $"no CUDA device {ordinal} (the driver reports {count})", r);
        }

        return new CudaRuntime(ordinal);
    }

    /// <summary>
    /// CUBIN for the device's own architecture when NVRTC targets it (no JIT; loads on older drivers of the same
    /// major version), else — or when that image does not load — PTX for <paramref name="architecture"/>.
    /// </summary>
    private static (CudaModuleHandle Module, string Image) LoadKernels(int capability, int architecture)
    {
        if (architecture == capability && NvrtcApi.CanEmitCubin)
        {
            try
            {
                return (new CudaModuleHandle(KernelCompiler.CompileAll(capability, cubin: true)), $"sm_{capability} cubin");
            }
            catch (CudaException)
            {
                // fall through to PTX: the driver JIT-compiles it (the error of that path is the one reported)
            }
        }

        return (new CudaModuleHandle(KernelCompiler.CompileAll(architecture)), $"compute_{architecture} ptx");
    }

    /// <summary>Makes the context current on the calling thread (once per thread).</summary>
    public void MakeCurrent()
    {
        if (!_current)
        {
            DriverApi.SetCurrent(_context.DangerousGetHandle());
            _current = true;
        }
    }

    public void Synchronize() => DriverApi.Synchronize(StreamPtr);

    /// <summary>Queues kernel <paramref name="name"/> on the stream with a 1-D block and a 1- or 2-D grid.</summary>
    public void Launch(string name, int gridX, int threads, void** args, int gridY = 1, int sharedBytes = 0) =>
        DriverApi.Launch(_functions[name], (uint)Math.Max(1, gridX), (uint)Math.Max(1, gridY), (uint)threads, (uint)sharedBytes, StreamPtr, args, name);

    /// <summary>Blocks for a grid-stride loop over <paramref name="n"/> elements.</summary>
    public int Blocks(long n) => (int)Math.Clamp((n + Threads - 1) / Threads, 1, Multiprocessors * 32L);

    /// <summary>Blocks for a warp-per-row kernel over <paramref name="rows"/> rows.</summary>
    public int RowBlocks(long rows) => (int)Math.Clamp((rows + (Threads / 32) - 1) / (Threads / 32), 1, 65535L);
}
