using System.Runtime.InteropServices;
using System.Text;

namespace Rerank.Engine.Backends.Cuda.Native;

/// <summary>
/// NVRTC (libnvrtc), as in nvrtc.h: nvrtcResult is an int (0 = NVRTC_SUCCESS), nvrtcProgram an opaque pointer.
/// <c>nvrtcGetSupportedArchs</c> exists from CUDA 11.2 only and is optional here.
/// </summary>
internal static unsafe class NvrtcApi
{
    private static delegate* unmanaged<int*, int*, int> _version;
    private static delegate* unmanaged<int*, int> _getNumSupportedArchs;
    private static delegate* unmanaged<int*, int> _getSupportedArchs;
    private static delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int> _createProgram;
    private static delegate* unmanaged<IntPtr, int, byte**, int> _compileProgram;
    private static delegate* unmanaged<IntPtr*, int> _destroyProgram;
    private static delegate* unmanaged<IntPtr, nuint*, int> _getProgramLogSize;
    private static delegate* unmanaged<IntPtr, byte*, int> _getProgramLog;
    private static delegate* unmanaged<IntPtr, nuint*, int> _getPtxSize;
    private static delegate* unmanaged<IntPtr, byte*, int> _getPtx;
    private static delegate* unmanaged<IntPtr, nuint*, int> _getCubinSize;
    private static delegate* unmanaged<IntPtr, byte*, int> _getCubin;
    private static delegate* unmanaged<int, byte*> _getErrorString;

    public static bool IsBound { get; private set; }

    public static void Bind(IntPtr lib)
    {
        const string L = "libnvrtc";
        _version = (delegate* unmanaged<int*, int*, int>)NativeLibraries.Export(lib, L, "nvrtcVersion");
        _getNumSupportedArchs = (delegate* unmanaged<int*, int>)NativeLibraries.OptionalExport(lib, "nvrtcGetNumSupportedArchs");
        _getSupportedArchs = (delegate* unmanaged<int*, int>)NativeLibraries.OptionalExport(lib, "nvrtcGetSupportedArchs");
        _createProgram = (delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int>)NativeLibraries.Export(lib, L, "nvrtcCreateProgram");
        _compileProgram = (delegate* unmanaged<IntPtr, int, byte**, int>)NativeLibraries.Export(lib, L, "nvrtcCompileProgram");
        _destroyProgram = (delegate* unmanaged<IntPtr*, int>)NativeLibraries.Export(lib, L, "nvrtcDestroyProgram");
        _getProgramLogSize = (delegate* unmanaged<IntPtr, nuint*, int>)NativeLibraries.Export(lib, L, "nvrtcGetProgramLogSize");
        _getProgramLog = (delegate* unmanaged<IntPtr, byte*, int>)NativeLibraries.Export(lib, L, "nvrtcGetProgramLog");
        _getPtxSize = (delegate* unmanaged<IntPtr, nuint*, int>)NativeLibraries.Export(lib, L, "nvrtcGetPTXSize");
        _getPtx = (delegate* unmanaged<IntPtr, byte*, int>)NativeLibraries.Export(lib, L, "nvrtcGetPTX");
        _getCubinSize = (delegate* unmanaged<IntPtr, nuint*, int>)NativeLibraries.OptionalExport(lib, "nvrtcGetCUBINSize");
        _getCubin = (delegate* unmanaged<IntPtr, byte*, int>)NativeLibraries.OptionalExport(lib, "nvrtcGetCUBIN");
        _getErrorString = (delegate* unmanaged<int, byte*>)NativeLibraries.Export(lib, L, "nvrtcGetErrorString");
        IsBound = true;
    }

    public static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new CudaException($"{call} failed: {Marshal.PtrToStringUTF8((IntPtr)_getErrorString(result))} ({result})", result);
        }
    }

    public static (int Major, int Minor) Version()
    {
        int major, minor;
        Check(_version(&major, &minor), "nvrtcVersion");
        return (major, minor);
    }

    /// <summary>The compute capabilities (as 10·major + minor) this NVRTC can target, or empty before 11.2.</summary>
    public static int[] SupportedArchitectures()
    {
        if (_getNumSupportedArchs == null || _getSupportedArchs == null)
        {
            return [];
        }

        int n;
        Check(_getNumSupportedArchs(&n), "nvrtcGetNumSupportedArchs");
        var archs = new int[n];
        fixed (int* p = archs)
        {
            Check(_getSupportedArchs(p), "nvrtcGetSupportedArchs");
        }

        return archs;
    }

    /// <summary>Whether this NVRTC can emit CUBIN (SASS for a real architecture; nvrtcGetCUBIN, CUDA 11.1+).</summary>
    public static bool CanEmitCubin => _getCubinSize != null && _getCubin != null;

    /// <summary>
    /// Compiles CUDA C <paramref name="source"/> to PTX (for a virtual architecture, <c>compute_XY</c>) or to CUBIN
    /// (<paramref name="cubin"/>, for a real one, <c>sm_XY</c>); on a compile error throws with NVRTC's log.
    /// </summary>
    public static byte[] Compile(string source, string name, IReadOnlyList<string> options, bool cubin, out string log)
    {
        var src = Encoding.UTF8.GetBytes(source + "\0");
        var nm = Encoding.UTF8.GetBytes(name + "\0");
        IntPtr prog;
        fixed (byte* ps = src)
        fixed (byte* pn = nm)
        {
            Check(_createProgram(&prog, ps, pn, 0, null, null), "nvrtcCreateProgram");
        }

        try
        {
            var handles = options.Select(o => GCHandle.Alloc(Encoding.UTF8.GetBytes(o + "\0"), GCHandleType.Pinned)).ToArray();
            try
            {
                var ptrs = stackalloc byte*[Math.Max(1, handles.Length)];
                for (var i = 0; i < handles.Length; i++)
                {
                    ptrs[i] = (byte*)handles[i].AddrOfPinnedObject();
                }

                var result = _compileProgram(prog, handles.Length, ptrs);
                log = ProgramLog(prog);
                if (result != 0)
                {
                    throw new CudaException($"NVRTC could not compile {name} ({Marshal.PtrToStringUTF8((IntPtr)_getErrorString(result))}):{Environment.NewLine}{log}", result);
                }
            }
            finally
            {
                foreach (var h in handles)
                {
                    h.Free();
                }
            }

            nuint size;
            if (cubin)
            {
                Check(_getCubinSize(prog, &size), "nvrtcGetCUBINSize");
                var image = new byte[size];
                fixed (byte* p = image)
                {
                    Check(_getCubin(prog, p), "nvrtcGetCUBIN");
                }

                return image;
            }

            Check(_getPtxSize(prog, &size), "nvrtcGetPTXSize");
            var ptx = new byte[size];
            fixed (byte* p = ptx)
            {
                Check(_getPtx(prog, p), "nvrtcGetPTX");
            }

            return ptx;
        }
        finally
        {
            _ = _destroyProgram(&prog);
        }
    }

    private static string ProgramLog(IntPtr prog)
    {
        nuint size;
        Check(_getProgramLogSize(prog, &size), "nvrtcGetProgramLogSize");
        if (size <= 1)
        {
            return string.Empty;
        }

        var buffer = new byte[size];
        fixed (byte* p = buffer)
        {
            Check(_getProgramLog(prog, p), "nvrtcGetProgramLog");
        }

        return Encoding.UTF8.GetString(buffer, 0, buffer.Length - 1).Trim();
    }
}
