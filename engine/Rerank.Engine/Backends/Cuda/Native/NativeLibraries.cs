using System.Runtime.InteropServices;

namespace Rerank.Engine.Backends.Cuda.Native;

/// <summary>
/// Finds the CUDA libraries: every directory of the search path (the <c>RERANK_CUDA_PATH</c> environment variable and
/// <see cref="global::Rerank.Engine.Cuda.SearchPath"/>, each a ':'-separated list; a CUDA toolkit root also has its <c>lib64</c> and
/// <c>lib</c> probed) first, then the loader's usual lookup, then the default toolkit root <c>/usr/local/cuda</c> (whose
/// <c>lib64</c> is often not on the loader's path), trying each soname in order.
/// </summary>
internal static class NativeLibraries
{
    /// <summary>The environment variable holding extra directories to probe.</summary>
    public const string PathVariable = "RERANK_CUDA_PATH";

    public static readonly string[] Driver = ["libcuda.so.1", "libcuda.so"];

    public static readonly string[] Nvrtc = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0", "libnvrtc.so"];

    public static readonly string[] Cublas = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"];

    /// <summary>The toolkit roots probed after the loader's default lookup.</summary>
    public static readonly string[] DefaultRoots = ["/usr/local/cuda"];

    /// <summary>The directories probed before the loader's default lookup, in order.</summary>
    public static IReadOnlyList<string> SearchDirectories(string? extra) =>
        Expand([extra, Environment.GetEnvironmentVariable(PathVariable)]);

    private static List<string> Expand(IEnumerable<string?> lists)
    {
        var dirs = new List<string>();
        foreach (var list in lists)
        {
            if (string.IsNullOrWhiteSpace(list))
            {
                continue;
            }

            foreach (var raw in list.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                dirs.Add(raw);
                dirs.Add(Path.Combine(raw, "lib64"));
                dirs.Add(Path.Combine(raw, "lib"));
            }
        }

        return dirs;
    }

    /// <summary>Loads the first of <paramref name="names"/> that opens; returns the path or soname that did, or null with what was tried.</summary>
    public static IntPtr TryLoad(string[] names, string? extraPath, out string? loadedFrom, out string tried)
    {
        var attempts = new List<string>();
        if (TryLoadFrom(SearchDirectories(extraPath), names, attempts, out loadedFrom) is var found && found != IntPtr.Zero)
        {
            tried = string.Empty;
            return found;
        }

        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var h))
            {
                loadedFrom = name;
                tried = string.Empty;
                return h;
            }

            attempts.Add(name);
        }

        if (TryLoadFrom(Expand(DefaultRoots), names, attempts, out loadedFrom) is var fallback && fallback != IntPtr.Zero)
        {
            tried = string.Empty;
            return fallback;
        }

        loadedFrom = null;
        var roots = SearchDirectories(extraPath).Where((_, i) => i % 3 == 0).Concat(DefaultRoots);
        tried = $"{string.Join(", ", names)} (also under {string.Join(", ", roots)})";
        return IntPtr.Zero;
    }

    private static IntPtr TryLoadFrom(IEnumerable<string> dirs, string[] names, List<string> attempts, out string? loadedFrom)
    {
        foreach (var dir in dirs)
        {
            foreach (var name in names)
            {
                var full = Path.Combine(dir, name);
                if (File.Exists(full) && NativeLibrary.TryLoad(full, out var h))
                {
                    loadedFrom = full;
                    return h;
                }

                attempts.Add(full);
            }
        }

        loadedFrom = null;
        return IntPtr.Zero;
    }

    /// <summary>The address of <paramref name="symbol"/> in <paramref name="library"/>, or a clear error naming both.</summary>
    public static IntPtr Export(IntPtr library, string libraryName, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out var address)
            ? address
            : throw new CudaException($"{libraryName} has no symbol '{symbol}' (library too old?)");

    public static IntPtr OptionalExport(IntPtr library, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out var address) ? address : IntPtr.Zero;
}
