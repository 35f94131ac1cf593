using System.Runtime.InteropServices;
using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// The CUDA backend: every <see cref="IBackend"/> kernel as an NVRTC-compiled CUDA C kernel (Kernels/*.cu) or a cuBLAS
/// GEMM, queued on the runtime's one stream. Semantics match <see cref="Cpu.CpuBackend"/> exactly (same broadcasting,
/// masks, causal limits and accumulate flags); results agree within float32 rounding (see CudaSelfTest's tolerances).
/// Index arguments (host spans) are uploaded per call; transfers to the host synchronise the stream.
/// </summary>
internal sealed unsafe partial class CudaBackend(CudaRuntime runtime, Device device) : IBackend
{
    public Device Device { get; } = device;

    public CudaRuntime Runtime { get; } = runtime;

    /// <summary>
    /// Fresh storage is zero-filled, like the CPU backend's new arrays (heap tensors such as gradients rely on it) —
    /// except while a graph is captured: its tensors stand in for a scope's pooled ones, whose contents are unspecified,
    /// and a fill would be one more node per tensor in every replay.
    /// </summary>
    public TensorStorage Allocate(int length)
    {
        Runtime.MakeCurrent();
        var memory = Runtime.Rent((long)Math.Max(1, length) * sizeof(float));
        if (length > 0 && !TensorPool.Current.Capturing)
        {
            DriverApi.Memset32(memory.Pointer, 0, (nuint)length, Runtime.StreamPtr);
        }

        return new CudaStorage(memory, length, Device);
    }

    public void Fill(Tensor t, float value)
    {
        Runtime.MakeCurrent();
        if (t.Count > 0)
        {
            DriverApi.Memset32(D(t), BitConverter.SingleToUInt32Bits(value), (nuint)t.Count, Runtime.StreamPtr);
        }
    }

    public void Copy(Tensor src, Tensor dst)
    {
        Runtime.MakeCurrent();
        if (src.Count > 0)
        {
            DriverApi.CopyDeviceToDevice(D(dst), D(src), (nuint)src.Count * sizeof(float), Runtime.StreamPtr);
        }
    }

    public void Axpy(float alpha, Tensor x, Tensor y)
    {
        int n = x.Count;
        ulong px = D(x), py = D(y);
        void** args = stackalloc void*[] { &n, &alpha, &px, &py };
        Run("rr_axpy", Runtime.Blocks(n), args);
    }

    public double SumSquares(Tensor x)
    {
        int n = x.Count;
        if (n == 0)
        {
            return 0;
        }

        var blocks = Math.Min(Runtime.Blocks(n), 1024);
        using var partials = Runtime.Rent(blocks * sizeof(double));
        ulong px = D(x), pp = partials.Pointer;
        void** args = stackalloc void*[] { &n, &px, &pp };
        Run("rr_sum_squares", blocks, args);
        var host = new double[blocks];
        fixed (double* h = host)
        {
            NoHostCopyWhileCapturing("SumSquares reads its result back to the host");
            DriverApi.CopyDeviceToHost(h, pp, (nuint)(blocks * sizeof(double)), Runtime.StreamPtr);
        }

        Runtime.Synchronize();
        var total = 0.0;
        foreach (var v in host)
        {
            total += v;
        }

        return total;
    }

    /// <summary>Copies host floats into a device tensor (queued on the stream; the source may be reused on return).</summary>
    public void Upload(ReadOnlySpan<float> source, Tensor dst)
    {
        Runtime.MakeCurrent();
        if (source.Length > 0)
        {
            NoHostCopyWhileCapturing($"{source.Length} floats uploaded from a host array");
            fixed (float* p = source)
            {
                DriverApi.CopyHostToDevice(D(dst), p, (nuint)source.Length * sizeof(float), Runtime.StreamPtr);
            }
        }
    }

    /// <summary>Copies a device tensor to host memory, waiting for the queued work that produces it.</summary>
    public void Download(Tensor src, Span<float> destination)
    {
        Runtime.MakeCurrent();
        if (src.Count > 0)
        {
            NoHostCopyWhileCapturing($"a tensor of {src.Count} floats read back to the host");
            fixed (float* p = destination)
            {
                DriverApi.CopyDeviceToHost(p, D(src), (nuint)src.Count * sizeof(float), Runtime.StreamPtr);
            }
        }

        Runtime.Synchronize();
    }

    /// <summary>
    /// Refuses a copy between pageable host memory and the device while the thread captures a graph: a replay would
    /// read or write that host address again, long after the array is gone (the driver may not refuse it itself).
    /// </summary>
    internal static void NoHostCopyWhileCapturing(string what)
    {
        if (TensorPool.Current.Capturing)
        {
            throw new InvalidOperationException($"cannot capture a CUDA graph over host data: {what} while capturing (pass it as one of the graph's inputs, and read results after the replay)");
        }
    }

    internal static ulong D(Tensor t) => ((CudaStorage)t.Storage).Address(t.Offset);

    internal static ulong D(Tensor? t, ulong none) => t is null ? none : D(t);

    private void Run(string kernel, int blocks, void** args, int gridY = 1, int sharedBytes = 0)
    {
        Runtime.MakeCurrent();
        Runtime.Launch(kernel, blocks, CudaRuntime.Threads, args, gridY, sharedBytes);
    }

    /// <summary>Uploads an index span (int32) into a pooled device block; dispose it after the launch that reads it.</summary>
    private DeviceMemoryHandle UploadIndex(ReadOnlySpan<int> index)
    {
        Runtime.MakeCurrent();
        var block = Runtime.Rent((long)Math.Max(1, index.Length) * sizeof(int));
        if (index.Length > 0)
        {
            NoHostCopyWhileCapturing($"an index list of {index.Length} ints uploaded from the host");
            fixed (int* p = index)
            {
                DriverApi.CopyHostToDevice(block.Pointer, p, (nuint)index.Length * sizeof(int), Runtime.StreamPtr);
            }
        }

        return block;
    }

    /// <summary>The kernels' RrWalk (common.cuh): a shape and two operands' strides in its index space.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Walk
    {
        public int Rank;
        public fixed int Dims[TensorShape.MaxRank];
        public fixed int S0[TensorShape.MaxRank];
        public fixed int S1[TensorShape.MaxRank];

        public static Walk Of(TensorShape shape)
        {
            var w = default(Walk);
            w.Rank = shape.Rank;
            for (var d = 0; d < shape.Rank; d++)
            {
                w.Dims[d] = shape[d];
            }

            return w;
        }
    }
}
