using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>
/// Page-locked host floats (cuMemHostAlloc): a copy from them to the device is truly asynchronous and may be captured
/// into a graph. Where the driver lacks cuMemHostAlloc, ordinary memory (copies then stage through the driver).
/// </summary>
internal sealed unsafe class PinnedBuffer : IDisposable
{
    private readonly bool _pinned;
    private float* _data;

    public PinnedBuffer(int length)
    {
        Length = length;
        _pinned = DriverApi.HasPinnedMemory;
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
            _ = DriverApi.FreeHost(_data);
        }
        else
        {
            System.Runtime.InteropServices.NativeMemory.Free(_data);
        }

        _data = null;
    }
}
