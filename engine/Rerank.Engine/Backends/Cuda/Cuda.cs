using Rerank.Engine.Backends;
using Rerank.Engine.Backends.Cuda;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine;

/// <summary>
/// The CUDA backend's entry point: finds the driver (libcuda.so.1), NVRTC and cuBLAS, creates the device-0 context
/// and compiles the kernels, once per process and on first use. On a machine without a GPU or without the
/// libraries <see cref="TryInitialize"/> returns false with a one-line reason and nothing else changes.
/// </summary>
public static class Cuda
{
    private static readonly Lock Gate = new();
    private static CudaBackend? _backend;
    private static string? _failure;

    /// <summary>The first CUDA device.</summary>
    public static Device Device { get; } = new(DeviceKind.Cuda, 0);

    /// <summary>The environment variable with extra directories (':'-separated) to search for the CUDA libraries.</summary>
    public static string SearchPathVariable => NativeLibraries.PathVariable;

    /// <summary>
    /// Extra directories (':'-separated; a toolkit root also has lib64/ and lib/ probed) searched for the libraries
    /// before <see cref="SearchPathVariable"/> and the loader's default; set it before the first use.
    /// </summary>
    public static string? SearchPath
    {
        get => CudaLibraries.SearchPath;
        set => CudaLibraries.SearchPath = value;
    }

    /// <summary>True when a CUDA device is usable (initialises on first call).</summary>
    public static bool IsAvailable => TryInitialize(out _);

    /// <summary>Initialises CUDA once; false with the reason (e.g. "libcuda.so.1 not found …") when it cannot.</summary>
    public static bool TryInitialize(out string reason)
    {
        lock (Gate)
        {
            if (_backend is null && _failure is null)
            {
                try
                {
                    var runtime = CudaRuntime.Create(0);
                    _backend = new CudaBackend(runtime, Device);
                    Backend.RegisterCuda(_backend);
                }
                catch (Exception e) when (e is CudaException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
                {
                    _failure = "no GPU: " + e.Message.ReplaceLineEndings(" ");
                }
            }

            reason = _failure ?? string.Empty;
            return _backend is not null;
        }
    }

    /// <summary>
    /// Gives the calling thread its own CUDA stream, cuBLAS handle and memory pool until the returned scope is disposed
    /// (on the same thread); without a GPU, a scope that does nothing. Meant for long-lived worker threads that run
    /// batches concurrently, such as the server's batch workers: their kernels, copies and synchronisations no longer
    /// wait on each other's. Work queued on the shared stream before the call (models loaded or moved) completes first;
    /// device tensors the thread creates must not be handed to another thread without <see cref="Synchronize"/>.
    /// </summary>
    public static IDisposable UseOwnStream() => TryInitialize(out _) ? _backend!.Runtime.UseOwnStream() : NoScope.Instance;

    /// <summary>Waits for every kernel and copy queued by the calling thread (on its own stream, else the shared one).</summary>
    public static void Synchronize() => Runtime().Synchronize();

    /// <summary>What was found: libraries and their paths, versions, the device and its compute capability, or why not.</summary>
    public static CudaInfo Describe()
    {
        var available = TryInitialize(out var reason);
        var libs = new[] { CudaLibraries.Driver, CudaLibraries.Nvrtc, CudaLibraries.Cublas }
            .Select(l => new CudaLibraryInfo(l.Label, l.Loaded, l.Path, l.Reason)).ToArray();
        string? nvrtc = null;
        int[] archs = [];
        if (CudaLibraries.Nvrtc.Loaded)
        {
            var (major, minor) = NvrtcApi.Version();
            nvrtc = $"{major}.{minor}";
            archs = NvrtcApi.SupportedArchitectures();
        }

        if (!available)
        {
            return new CudaInfo(false, reason, libs, nvrtc, archs, null, null, null, null, null, null);
        }

        var rt = _backend!.Runtime;
        return new CudaInfo(true, null, libs, rt.NvrtcVersion, archs, FormatVersion(rt.DriverVersion), rt.CublasVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), rt.Name, $"{rt.Major}.{rt.Minor}", rt.KernelImage, rt.TotalMemory);
    }

    /// <summary>Compiles every kernel source through NVRTC to PTX for compute_<paramref name="architecture"/> (no GPU needed); returns the PTX text.</summary>
    /// <exception cref="CudaException">NVRTC is missing or a source does not compile (the message has NVRTC's log).</exception>
    public static string CompileKernels(int architecture)
    {
        var ptx = KernelCompiler.CompileAll(architecture);
        return System.Text.Encoding.UTF8.GetString(ptx).TrimEnd('\0');
    }

    internal static CudaRuntime Runtime() => TryInitialize(out var reason) ? _backend!.Runtime : throw new NotSupportedException(reason);

    internal static IBackend? BackendIfAvailable() => TryInitialize(out _) ? _backend : null;

    private static string FormatVersion(int v) => $"{v / 1000}.{v % 1000 / 10}";
}

/// <summary>One CUDA library: whether it loaded, from where, or why not.</summary>
/// <param name="Name">libcuda, libnvrtc or libcublas.</param>
/// <param name="Loaded">Whether it loaded and every needed symbol was found.</param>
/// <param name="Path">The file or soname it loaded from.</param>
/// <param name="Reason">Why it did not load.</param>
public sealed record CudaLibraryInfo(string Name, bool Loaded, string? Path, string? Reason);

/// <summary>What the CUDA probe found.</summary>
/// <param name="Available">Whether the device is usable.</param>
/// <param name="Reason">Why not, when it is not.</param>
/// <param name="Libraries">The three libraries.</param>
/// <param name="NvrtcVersion">NVRTC's version when it loaded.</param>
/// <param name="NvrtcArchitectures">The compute capabilities NVRTC can target (10·major + minor; empty before 11.2).</param>
/// <param name="DriverVersion">The driver's CUDA version.</param>
/// <param name="CublasVersion">cuBLAS's version number.</param>
/// <param name="DeviceName">The GPU's name.</param>
/// <param name="ComputeCapability">major.minor.</param>
/// <param name="KernelArchitecture">What the kernels were compiled to: <c>sm_XY cubin</c>, or <c>compute_XY ptx</c> (JIT-compiled by the driver).</param>
/// <param name="TotalMemory">Device memory in bytes.</param>
public sealed record CudaInfo(
    bool Available,
    string? Reason,
    IReadOnlyList<CudaLibraryInfo> Libraries,
    string? NvrtcVersion,
    IReadOnlyList<int> NvrtcArchitectures,
    string? DriverVersion,
    string? CublasVersion,
    string? DeviceName,
    string? ComputeCapability,
    string? KernelArchitecture,
    ulong? TotalMemory);
