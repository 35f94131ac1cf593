using System.Collections.Frozen;
using Rerank.Engine.Backends.Cuda.Kernels;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// The process's CUDA state for device 0: the retained primary context, the shared stream every kernel, copy and GEMM
/// is queued on (so work is ordered and pooled memory can be reused without events), the cuBLAS handle bound to it,
/// the kernel module compiled through NVRTC for the device's architecture, and the pooled allocator. A thread inside
/// <see cref="UseOwnStream"/> queues on its own stream, cuBLAS handle and memory pool instead (serving workers), so
/// concurrent batches neither wait on each other's synchronisations nor share a cuBLAS workspace.
/// </summary>
internal sealed unsafe class CudaRuntime
{
    public const int Threads = 256;

    [ThreadStatic]
    private static bool _current;

    [ThreadStatic]
    private static ThreadStream? _own;

    [ThreadStatic]
    private static DevicePool? _graphPool;

    private readonly PrimaryContextHandle _context;
    private readonly CudaModuleHandle _module;
    private readonly FrozenDictionary<string, IntPtr> _functions;
    private readonly Lock _sharedBlasLock = new();

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

    /// <summary>The calling thread's stream: its own inside <see cref="UseOwnStream"/>, else the shared one.</summary>
    public IntPtr StreamPtr => _own is { } own ? own.StreamPtr : Stream.DangerousGetHandle();

    /// <summary>The calling thread's cuBLAS handle (bound to <see cref="StreamPtr"/>).</summary>
    public IntPtr BlasPtr => _own is { } own ? own.BlasPtr : Blas.DangerousGetHandle();

    /// <summary>Serialises cuBLAS calls on a handle: the shared one is used by every thread without an own stream.</summary>
    public Lock BlasLock => _own is { } own ? own.BlasLock : _sharedBlasLock;

    /// <summary>The calling thread's memory pool: a graph's while it is being captured, else the thread's own (null: the shared pool).</summary>
    public DevicePool? Pool => _graphPool ?? _own?.Pool;

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

    /// <summary>A block from the calling thread's pool (see <see cref="DeviceAllocator"/>).</summary>
    public DeviceMemoryHandle Rent(long bytes) => Allocator.Rent(bytes, Pool);

    /// <summary>
    /// Gives the calling thread its own stream, cuBLAS handle and memory pool until the returned scope is disposed
    /// (nested calls share the outer scope). Work queued on the shared stream before the call — weights uploaded when a
    /// model was loaded or moved — completes first. Tensors the thread creates must not outlive the scope on another
    /// thread without a synchronisation; the scope's end synchronises its stream and hands its cached blocks to the
    /// shared pool.
    /// </summary>
    public IDisposable UseOwnStream()
    {
        if (_own is not null)
        {
            return NoScope.Instance;
        }

        MakeCurrent();
        DriverApi.Synchronize(Stream.DangerousGetHandle());
        var own = new ThreadStream(Allocator.NewPool());
        _own = own;
        return new OwnStreamScope(this, own);
    }

    /// <summary>Rents the calling thread's blocks from <paramref name="pool"/> until the scope ends (a graph's capture).</summary>
    internal static GraphPoolScope UseGraphPool(DevicePool pool)
    {
        var previous = _graphPool;
        _graphPool = pool;
        return new GraphPoolScope(previous);
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

    internal static void RestoreGraphPool(DevicePool? previous) => _graphPool = previous;

    /// <summary>Clears the calling thread's own stream if it is <paramref name="own"/> (the scope must end on its thread).</summary>
    internal static void ClearOwnStream(ThreadStream own)
    {
        if (!ReferenceEquals(_own, own))
        {
            throw new InvalidOperationException("A CUDA own-stream scope must be disposed on the thread that opened it.");
        }

        _own = null;
    }

    /// <summary>Queues kernel <paramref name="name"/> on the stream with a 1-D block and a 1- or 2-D grid.</summary>
    public void Launch(string name, int gridX, int threads, void** args, int gridY = 1, int sharedBytes = 0) =>
        DriverApi.Launch(_functions[name], (uint)Math.Max(1, gridX), (uint)Math.Max(1, gridY), (uint)threads, (uint)sharedBytes, StreamPtr, args, name);

    /// <summary>Blocks for a grid-stride loop over <paramref name="n"/> elements.</summary>
    public int Blocks(long n) => (int)Math.Clamp((n + Threads - 1) / Threads, 1, Multiprocessors * 32L);

    /// <summary>Blocks for a warp-per-row kernel over <paramref name="rows"/> rows.</summary>
    public int RowBlocks(long rows) => (int)Math.Clamp((rows + (Threads / 32) - 1) / (Threads / 32), 1, 65535L);
}

/// <summary>A thread's own stream, cuBLAS handle (bound to it) and memory pool.</summary>
internal sealed class ThreadStream : IDisposable
{
    private readonly StreamHandle _stream;
    private readonly CublasHandle _blas;

    public ThreadStream(DevicePool pool)
    {
        Pool = pool;
        _stream = new StreamHandle();
        _blas = new CublasHandle();
        CublasApi.SetStream(_blas.DangerousGetHandle(), _stream.DangerousGetHandle());
    }

    public DevicePool Pool { get; }

    public IntPtr StreamPtr => _stream.DangerousGetHandle();

    public IntPtr BlasPtr => _blas.DangerousGetHandle();

    public Lock BlasLock { get; } = new();

    public void Dispose()
    {
        _blas.Dispose();
        _stream.Dispose();
    }
}

/// <summary>Ends <see cref="CudaRuntime.UseOwnStream"/>: synchronises the thread's stream, retires its pool, destroys the stream.</summary>
internal sealed class OwnStreamScope(CudaRuntime runtime, ThreadStream own) : IDisposable
{
    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DriverApi.Synchronize(own.StreamPtr);
        CudaRuntime.ClearOwnStream(own);
        runtime.Allocator.Retire(own.Pool);
        own.Dispose();
    }
}

/// <summary>Ends <see cref="CudaRuntime.UseGraphPool"/>: the thread rents from its previous pool again.</summary>
internal readonly struct GraphPoolScope(DevicePool? previous) : IDisposable
{
    public void Dispose() => CudaRuntime.RestoreGraphPool(previous);
}

/// <summary>The scope of a nested <see cref="CudaRuntime.UseOwnStream"/> call: nothing to undo.</summary>
internal sealed class NoScope : IDisposable
{
    public static readonly NoScope Instance = new();

    public void Dispose()
    {
    }
}
