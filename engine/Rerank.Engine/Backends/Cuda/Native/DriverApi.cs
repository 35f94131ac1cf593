using System.Runtime.InteropServices;

namespace Rerank.Engine.Backends.Cuda.Native;

/// <summary>
/// The CUDA driver API (libcuda.so.1), bound by symbol as in cuda.h (the <c>_v2</c> entry points are the ones the
/// header maps the plain names to since CUDA 4). CUresult is an int (0 = CUDA_SUCCESS), CUdeviceptr a 64-bit
/// integer, handles are opaque pointers; size_t is <see cref="nuint"/>.
/// </summary>
internal static unsafe class DriverApi
{
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;
    public const int AttributeMultiprocessorCount = 16;

    private static delegate* unmanaged<uint, int> _init;
    private static delegate* unmanaged<int*, int> _driverGetVersion;
    private static delegate* unmanaged<int*, int> _deviceGetCount;
    private static delegate* unmanaged<int*, int, int> _deviceGet;
    private static delegate* unmanaged<byte*, int, int, int> _deviceGetName;
    private static delegate* unmanaged<int*, int, int, int> _deviceGetAttribute;
    private static delegate* unmanaged<nuint*, int, int> _deviceTotalMem;
    private static delegate* unmanaged<IntPtr*, int, int> _primaryCtxRetain;
    private static delegate* unmanaged<int, int> _primaryCtxRelease;
    private static delegate* unmanaged<IntPtr, int> _ctxSetCurrent;
    private static delegate* unmanaged<ulong*, nuint, int> _memAlloc;
    private static delegate* unmanaged<ulong, int> _memFree;
    private static delegate* unmanaged<ulong, void*, nuint, IntPtr, int> _memcpyHtoDAsync;
    private static delegate* unmanaged<void*, ulong, nuint, IntPtr, int> _memcpyDtoHAsync;
    private static delegate* unmanaged<ulong, ulong, nuint, IntPtr, int> _memcpyDtoDAsync;
    private static delegate* unmanaged<ulong, uint, nuint, IntPtr, int> _memsetD32Async;
    private static delegate* unmanaged<IntPtr*, uint, int> _streamCreate;
    private static delegate* unmanaged<IntPtr, int> _streamDestroy;
    private static delegate* unmanaged<IntPtr, int> _streamSynchronize;
    private static delegate* unmanaged<int> _ctxSynchronize;
    private static delegate* unmanaged<IntPtr*, uint, int> _eventCreate;
    private static delegate* unmanaged<IntPtr, int> _eventDestroy;
    private static delegate* unmanaged<IntPtr, IntPtr, int> _eventRecord;
    private static delegate* unmanaged<IntPtr, int> _eventSynchronize;
    private static delegate* unmanaged<float*, IntPtr, IntPtr, int> _eventElapsedTime;
    private static delegate* unmanaged<IntPtr*, void*, int> _moduleLoadData;
    private static delegate* unmanaged<IntPtr, int> _moduleUnload;
    private static delegate* unmanaged<IntPtr*, IntPtr, byte*, int> _moduleGetFunction;
    private static delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int> _launchKernel;
    private static delegate* unmanaged<int, byte**, int> _getErrorString;
    private static delegate* unmanaged<int, byte**, int> _getErrorName;
    private static delegate* unmanaged<void**, nuint, uint, int> _memHostAlloc;
    private static delegate* unmanaged<void*, int> _memFreeHost;
    private static delegate* unmanaged<IntPtr, int, int> _streamBeginCapture;
    private static delegate* unmanaged<IntPtr, IntPtr*, int> _streamEndCapture;
    private static delegate* unmanaged<IntPtr*, IntPtr, ulong, int> _graphInstantiate;
    private static delegate* unmanaged<IntPtr, IntPtr, int> _graphLaunch;
    private static delegate* unmanaged<IntPtr, int> _graphExecDestroy;
    private static delegate* unmanaged<IntPtr, int> _graphDestroy;

    /// <summary>CU_STREAM_CAPTURE_MODE_RELAXED: cuMemAlloc stays legal while a stream captures (the pooled allocator may need it).</summary>
    public const int CaptureModeRelaxed = 2;

    /// <summary>CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED: an operation a capturing stream cannot record (a synchronisation, a pageable copy).</summary>
    public const int ErrorCaptureUnsupported = 900;

    public static bool IsBound { get; private set; }

    /// <summary>Whether the driver has stream capture and graph launch (CUDA 11.4+ for cuGraphInstantiateWithFlags).</summary>
    public static bool HasGraphs { get; private set; }

    /// <summary>Whether the driver can allocate page-locked host memory (cuMemHostAlloc).</summary>
    public static bool HasPinnedMemory { get; private set; }

    /// <summary>Resolves every entry point from an opened libcuda.</summary>
    public static void Bind(IntPtr lib)
    {
        const string L = "libcuda";
        _init = (delegate* unmanaged<uint, int>)NativeLibraries.Export(lib, L, "cuInit");
        _driverGetVersion = (delegate* unmanaged<int*, int>)NativeLibraries.Export(lib, L, "cuDriverGetVersion");
        _deviceGetCount = (delegate* unmanaged<int*, int>)NativeLibraries.Export(lib, L, "cuDeviceGetCount");
        _deviceGet = (delegate* unmanaged<int*, int, int>)NativeLibraries.Export(lib, L, "cuDeviceGet");
        _deviceGetName = (delegate* unmanaged<byte*, int, int, int>)NativeLibraries.Export(lib, L, "cuDeviceGetName");
        _deviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)NativeLibraries.Export(lib, L, "cuDeviceGetAttribute");
        _deviceTotalMem = (delegate* unmanaged<nuint*, int, int>)NativeLibraries.Export(lib, L, "cuDeviceTotalMem_v2");
        _primaryCtxRetain = (delegate* unmanaged<IntPtr*, int, int>)NativeLibraries.Export(lib, L, "cuDevicePrimaryCtxRetain");
        _primaryCtxRelease = (delegate* unmanaged<int, int>)NativeLibraries.Export(lib, L, "cuDevicePrimaryCtxRelease_v2");
        _ctxSetCurrent = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cuCtxSetCurrent");
        _memAlloc = (delegate* unmanaged<ulong*, nuint, int>)NativeLibraries.Export(lib, L, "cuMemAlloc_v2");
        _memFree = (delegate* unmanaged<ulong, int>)NativeLibraries.Export(lib, L, "cuMemFree_v2");
        _memcpyHtoDAsync = (delegate* unmanaged<ulong, void*, nuint, IntPtr, int>)NativeLibraries.Export(lib, L, "cuMemcpyHtoDAsync_v2");
        _memcpyDtoHAsync = (delegate* unmanaged<void*, ulong, nuint, IntPtr, int>)NativeLibraries.Export(lib, L, "cuMemcpyDtoHAsync_v2");
        _memcpyDtoDAsync = (delegate* unmanaged<ulong, ulong, nuint, IntPtr, int>)NativeLibraries.Export(lib, L, "cuMemcpyDtoDAsync_v2");
        _memsetD32Async = (delegate* unmanaged<ulong, uint, nuint, IntPtr, int>)NativeLibraries.Export(lib, L, "cuMemsetD32Async");
        _streamCreate = (delegate* unmanaged<IntPtr*, uint, int>)NativeLibraries.Export(lib, L, "cuStreamCreate");
        _streamDestroy = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cuStreamDestroy_v2");
        _streamSynchronize = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cuStreamSynchronize");
        _ctxSynchronize = (delegate* unmanaged<int>)NativeLibraries.Export(lib, L, "cuCtxSynchronize");
        _eventCreate = (delegate* unmanaged<IntPtr*, uint, int>)NativeLibraries.Export(lib, L, "cuEventCreate");
        _eventDestroy = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cuEventDestroy_v2");
        _eventRecord = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibraries.Export(lib, L, "cuEventRecord");
        _eventSynchronize = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cuEventSynchronize");
        _eventElapsedTime = (delegate* unmanaged<float*, IntPtr, IntPtr, int>)NativeLibraries.Export(lib, L, "cuEventElapsedTime");
        _moduleLoadData = (delegate* unmanaged<IntPtr*, void*, int>)NativeLibraries.Export(lib, L, "cuModuleLoadData");
        _moduleUnload = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cuModuleUnload");
        _moduleGetFunction = (delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)NativeLibraries.Export(lib, L, "cuModuleGetFunction");
        _launchKernel = (delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int>)NativeLibraries.Export(lib, L, "cuLaunchKernel");
        _getErrorString = (delegate* unmanaged<int, byte**, int>)NativeLibraries.Export(lib, L, "cuGetErrorString");
        _getErrorName = (delegate* unmanaged<int, byte**, int>)NativeLibraries.Export(lib, L, "cuGetErrorName");
        _memHostAlloc = (delegate* unmanaged<void**, nuint, uint, int>)NativeLibraries.OptionalExport(lib, "cuMemHostAlloc");
        _memFreeHost = (delegate* unmanaged<void*, int>)NativeLibraries.OptionalExport(lib, "cuMemFreeHost");
        HasPinnedMemory = _memHostAlloc != null && _memFreeHost != null;
        _streamBeginCapture = (delegate* unmanaged<IntPtr, int, int>)NativeLibraries.OptionalExport(lib, "cuStreamBeginCapture_v2");
        _streamEndCapture = (delegate* unmanaged<IntPtr, IntPtr*, int>)NativeLibraries.OptionalExport(lib, "cuStreamEndCapture");
        _graphInstantiate = (delegate* unmanaged<IntPtr*, IntPtr, ulong, int>)NativeLibraries.OptionalExport(lib, "cuGraphInstantiateWithFlags");
        _graphLaunch = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibraries.OptionalExport(lib, "cuGraphLaunch");
        _graphExecDestroy = (delegate* unmanaged<IntPtr, int>)NativeLibraries.OptionalExport(lib, "cuGraphExecDestroy");
        _graphDestroy = (delegate* unmanaged<IntPtr, int>)NativeLibraries.OptionalExport(lib, "cuGraphDestroy");
        HasGraphs = _streamBeginCapture != null && _streamEndCapture != null && _graphInstantiate != null && _graphLaunch != null && _graphExecDestroy != null && _graphDestroy != null;
        IsBound = true;
    }

    /// <summary>Throws a <see cref="CudaException"/> with the driver's name and message for a non-zero CUresult.</summary>
    public static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new CudaException($"{call} failed: {Describe(result)}", result);
        }
    }

    public static string Describe(int result)
    {
        byte* name = null;
        byte* text = null;
        if (_getErrorName != null)
        {
            _ = _getErrorName(result, &name);
            _ = _getErrorString(result, &text);
        }

        return $"{(name == null ? "CUresult" : Marshal.PtrToStringUTF8((IntPtr)name))} ({result}){(text == null ? string.Empty : ": " + Marshal.PtrToStringUTF8((IntPtr)text))}";
    }

    public static int Init() => _init(0);

    public static int DriverVersion()
    {
        int v;
        Check(_driverGetVersion(&v), "cuDriverGetVersion");
        return v;
    }

    /// <summary>The number of devices, or the CUresult of the failure as a negative number.</summary>
    public static int DeviceCount(out int result)
    {
        int n;
        result = _deviceGetCount(&n);
        return result == 0 ? n : 0;
    }

    public static int Device(int ordinal)
    {
        int d;
        Check(_deviceGet(&d, ordinal), "cuDeviceGet");
        return d;
    }

    public static string DeviceName(int device)
    {
        var buffer = stackalloc byte[256];
        Check(_deviceGetName(buffer, 256, device), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((IntPtr)buffer) ?? string.Empty;
    }

    public static int Attribute(int device, int attribute)
    {
        int v;
        Check(_deviceGetAttribute(&v, attribute, device), "cuDeviceGetAttribute");
        return v;
    }

    public static ulong TotalMemory(int device)
    {
        nuint v;
        Check(_deviceTotalMem(&v, device), "cuDeviceTotalMem");
        return v;
    }

    public static IntPtr RetainPrimaryContext(int device)
    {
        IntPtr ctx;
        Check(_primaryCtxRetain(&ctx, device), "cuDevicePrimaryCtxRetain");
        return ctx;
    }

    public static int ReleasePrimaryContext(int device) => _primaryCtxRelease(device);

    public static void SetCurrent(IntPtr ctx) => Check(_ctxSetCurrent(ctx), "cuCtxSetCurrent");

    /// <summary>cuMemAlloc; returns the CUresult instead of throwing so the allocator can trim its pool and retry.</summary>
    public static int TryAlloc(nuint bytes, out ulong pointer)
    {
        ulong p;
        var r = _memAlloc(&p, bytes);
        pointer = p;
        return r;
    }

    public static int Free(ulong pointer) => _memFree(pointer);

    public static void CopyHostToDevice(ulong dst, void* src, nuint bytes, IntPtr stream) => Check(_memcpyHtoDAsync(dst, src, bytes, stream), "cuMemcpyHtoDAsync");

    public static void CopyDeviceToHost(void* dst, ulong src, nuint bytes, IntPtr stream) => Check(_memcpyDtoHAsync(dst, src, bytes, stream), "cuMemcpyDtoHAsync");

    public static void CopyDeviceToDevice(ulong dst, ulong src, nuint bytes, IntPtr stream) => Check(_memcpyDtoDAsync(dst, src, bytes, stream), "cuMemcpyDtoDAsync");

    public static void Memset32(ulong dst, uint value, nuint count, IntPtr stream) => Check(_memsetD32Async(dst, value, count, stream), "cuMemsetD32Async");

    public static IntPtr CreateStream()
    {
        IntPtr s;
        Check(_streamCreate(&s, 0), "cuStreamCreate");
        return s;
    }

    public static int DestroyStream(IntPtr stream) => _streamDestroy(stream);

    public static void Synchronize(IntPtr stream) => Check(_streamSynchronize(stream), "cuStreamSynchronize");

    /// <summary>Waits for the work of every stream of the current context.</summary>
    public static void SynchronizeContext() => Check(_ctxSynchronize(), "cuCtxSynchronize");

    /// <summary>cuCtxSynchronize's CUresult (for release paths, which must not throw).</summary>
    public static int TrySynchronizeContext() => _ctxSynchronize();

    public static IntPtr CreateEvent()
    {
        IntPtr e;
        Check(_eventCreate(&e, 0), "cuEventCreate");
        return e;
    }

    public static int DestroyEvent(IntPtr e) => _eventDestroy(e);

    public static void Record(IntPtr e, IntPtr stream) => Check(_eventRecord(e, stream), "cuEventRecord");

    public static float ElapsedMilliseconds(IntPtr start, IntPtr end)
    {
        Check(_eventSynchronize(end), "cuEventSynchronize");
        float ms;
        Check(_eventElapsedTime(&ms, start, end), "cuEventElapsedTime");
        return ms;
    }

    /// <summary>Loads a NUL-terminated PTX image (the driver JIT-compiles it for the current device).</summary>
    public static IntPtr LoadModule(byte[] ptx)
    {
        IntPtr m;
        fixed (byte* p = ptx)
        {
            Check(_moduleLoadData(&m, p), "cuModuleLoadData");
        }

        return m;
    }

    public static int UnloadModule(IntPtr module) => _moduleUnload(module);

    public static IntPtr Function(IntPtr module, string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        IntPtr f;
        fixed (byte* p = bytes)
        {
            Check(_moduleGetFunction(&f, module, p), $"cuModuleGetFunction({name})");
        }

        return f;
    }

    public static void Launch(IntPtr function, uint gridX, uint gridY, uint blockX, uint sharedBytes, IntPtr stream, void** args, string name) =>
        Check(_launchKernel(function, gridX, gridY, 1, blockX, 1, 1, sharedBytes, stream, args, null), $"cuLaunchKernel({name})");

    /// <summary>Page-locked host memory (cuMemHostAlloc, no flags): copies from it are truly asynchronous and may be captured into a graph.</summary>
    public static void* HostAlloc(nuint bytes)
    {
        void* p;
        Check(_memHostAlloc(&p, Math.Max(bytes, 1), 0), $"cuMemHostAlloc({bytes} bytes)");
        return p;
    }

    public static int FreeHost(void* p) => _memFreeHost(p);

    /// <summary>Starts recording the work queued on <paramref name="stream"/> into a graph instead of running it.</summary>
    public static void BeginCapture(IntPtr stream) => Check(_streamBeginCapture(stream, CaptureModeRelaxed), "cuStreamBeginCapture");

    /// <summary>Ends a capture: the recorded graph, or the CUresult of why there is none (an operation during capture was refused).</summary>
    public static int EndCapture(IntPtr stream, out IntPtr graph)
    {
        IntPtr g;
        var r = _streamEndCapture(stream, &g);
        graph = r == 0 ? g : IntPtr.Zero;
        return r;
    }

    public static IntPtr Instantiate(IntPtr graph)
    {
        IntPtr exec;
        Check(_graphInstantiate(&exec, graph, 0), "cuGraphInstantiateWithFlags");
        return exec;
    }

    public static void LaunchGraph(IntPtr exec, IntPtr stream) => Check(_graphLaunch(exec, stream), "cuGraphLaunch");

    public static int DestroyGraphExec(IntPtr exec) => _graphExecDestroy(exec);

    public static int DestroyGraph(IntPtr graph) => _graphDestroy(graph);
}
