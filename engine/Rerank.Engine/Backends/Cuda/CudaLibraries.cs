using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>Loads and binds the three CUDA libraries once each; remembers where each came from or why it did not load.</summary>
internal static class CudaLibraries
{
    private static readonly Lock Gate = new();
    private static LibraryState? _driver;
    private static LibraryState? _nvrtc;
    private static LibraryState? _cublas;

    /// <summary>Extra directories to probe (':'-separated), set before the first load.</summary>
    public static string? SearchPath { get; set; }

    public static LibraryState Driver => Load(ref _driver, "libcuda", NativeLibraries.Driver, DriverApi.Bind);

    public static LibraryState Nvrtc => Load(ref _nvrtc, "libnvrtc", NativeLibraries.Nvrtc, NvrtcApi.Bind);

    public static LibraryState Cublas => Load(ref _cublas, "libcublas", NativeLibraries.Cublas, CublasApi.Bind);

    public static void RequireNvrtc()
    {
        var s = Nvrtc;
        if (!s.Loaded)
        {
            throw new CudaException($"NVRTC is not available: {s.Reason}");
        }
    }

    private static LibraryState Load(ref LibraryState? slot, string label, string[] names, Action<IntPtr> bind)
    {
        lock (Gate)
        {
            if (slot is not null)
            {
                return slot;
            }

            var handle = NativeLibraries.TryLoad(names, SearchPath, out var from, out var tried);
            if (handle == IntPtr.Zero)
            {
                slot = new LibraryState(label, false, null, $"{names[0]} not found (tried {tried}; set {NativeLibraries.PathVariable} to the directory holding it)");
                return slot;
            }

            try
            {
                bind(handle);
                slot = new LibraryState(label, true, from, null);
            }
            catch (CudaException e)
            {
                slot = new LibraryState(label, false, from, e.Message);
            }

            return slot;
        }
    }
}

/// <summary>Whether one CUDA library loaded, from where, or why not.</summary>
internal sealed record LibraryState(string Label, bool Loaded, string? Path, string? Reason);
