namespace Rerank.Engine.Backends.Cuda.Native;

/// <summary>
/// cuBLAS (libcublas, the v2 API of cublas_api.h): cublasStatus_t is an int (0 = CUBLAS_STATUS_SUCCESS); matrices are
/// column-major; alpha and beta are host pointers (the default CUBLAS_POINTER_MODE_HOST).
/// </summary>
internal static unsafe class CublasApi
{
    public const int OpN = 0;
    public const int OpT = 1;

    private static delegate* unmanaged<IntPtr*, int> _create;
    private static delegate* unmanaged<IntPtr, int> _destroy;
    private static delegate* unmanaged<IntPtr, int*, int> _getVersion;
    private static delegate* unmanaged<IntPtr, IntPtr, int> _setStream;
    private static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int> _sgemm;
    private static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, long, ulong, int, long, float*, ulong, int, long, int, int> _sgemmStridedBatched;

    public static bool IsBound { get; private set; }

    public static void Bind(IntPtr lib)
    {
        const string L = "libcublas";
        _create = (delegate* unmanaged<IntPtr*, int>)NativeLibraries.Export(lib, L, "cublasCreate_v2");
        _destroy = (delegate* unmanaged<IntPtr, int>)NativeLibraries.Export(lib, L, "cublasDestroy_v2");
        _getVersion = (delegate* unmanaged<IntPtr, int*, int>)NativeLibraries.Export(lib, L, "cublasGetVersion_v2");
        _setStream = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibraries.Export(lib, L, "cublasSetStream_v2");
        _sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int>)NativeLibraries.Export(lib, L, "cublasSgemm_v2");
        _sgemmStridedBatched = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, long, ulong, int, long, float*, ulong, int, long, int, int>)NativeLibraries.Export(lib, L, "cublasSgemmStridedBatched");
        IsBound = true;
    }

    public static void Check(int status, string call)
    {
        if (status != 0)
        {
            throw new CudaException($"{call} failed: {Name(status)} ({status})", status);
        }
    }

    public static IntPtr Create()
    {
        IntPtr h;
        Check(_create(&h), "cublasCreate");
        return h;
    }

    public static int Destroy(IntPtr handle) => _destroy(handle);

    public static int Version(IntPtr handle)
    {
        int v;
        Check(_getVersion(handle, &v), "cublasGetVersion");
        return v;
    }

    public static void SetStream(IntPtr handle, IntPtr stream) => Check(_setStream(handle, stream), "cublasSetStream");

    /// <summary>Column-major C = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Sgemm(IntPtr h, int opA, int opB, int m, int n, int k, float alpha, ulong a, int lda, ulong b, int ldb, float beta, ulong c, int ldc) =>
        Check(_sgemm(h, opA, opB, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc), "cublasSgemm");

    /// <summary>Column-major strided batched GEMM; a stride of 0 broadcasts one matrix to every batch.</summary>
    public static void SgemmStridedBatched(IntPtr h, int opA, int opB, int m, int n, int k, float alpha, ulong a, int lda, long strideA, ulong b, int ldb, long strideB, float beta, ulong c, int ldc, long strideC, int batches) =>
        Check(_sgemmStridedBatched(h, opA, opB, m, n, k, &alpha, a, lda, strideA, b, ldb, strideB, &beta, c, ldc, strideC, batches), "cublasSgemmStridedBatched");

    private static string Name(int status) => status switch
    {
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => "cublasStatus",
    };
}
