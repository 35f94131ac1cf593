using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// Page-locked host floats (cuMemHostAlloc): a copy from them to the device is truly asynchronous and may be captured
/// into a graph. Where the driver lacks cuMemHostAlloc, ordinary memory (copies then stage through the driver).
/// </summary>
internal sealed unsafe class PinnedBuffer : IDisposable
{
    private readonly CudaRuntime _runtime;
    private readonly bool _pinned;
    private float* _data;

    public PinnedBuffer(CudaRuntime runtime, int length)
    {
        _runtime = runtime;
        Length = length;
        _pinned = DriverApi.HasPinnedMemory;
        runtime.MakeCurrent();
        var bytes = (nuint)Math.Max(1, length) * sizeof(float);
        _data = _pinned ? (float*)DriverApi.HostAlloc(bytes) : (float*)System.Runtime.InteropServices.NativeMemory.Alloc(bytes);
    }

    ~PinnedBuffer() => Free();

    public int Length { get; }

    public float* Pointer => _data;

    public Span<float> Span => new(_data, Length);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_data == null)
        {
            return;
        }

        if (_pinned)
        {
            _runtime.MakeCurrent(); // the finalizer thread has no current context until it is made current
            _ = DriverApi.FreeHost(_data);
        }
        else
        {
            System.Runtime.InteropServices.NativeMemory.Free(_data);
        }

        _data = null;
    }
}
