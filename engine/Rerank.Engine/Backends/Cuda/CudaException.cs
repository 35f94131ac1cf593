namespace Rerank.Engine;

/// <summary>A failure reported by the CUDA driver, NVRTC or cuBLAS, with the native error name and message.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CudaException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CudaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the native status code.</summary>
    public CudaException(string message, int status)
        : base(message) => Status = status;

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CudaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The native status code (CUresult, nvrtcResult or cublasStatus_t), 0 when not from native code.</summary>
    public int Status { get; }
}
