using System.Runtime.InteropServices;

namespace Rerank.Engine.Backends.Cuda.Native;

/// <summary>The retained primary context of one device; released (cuDevicePrimaryCtxRelease) with the handle.</summary>
internal sealed class PrimaryContextHandle : SafeHandle
{
    private readonly int _device;

    public PrimaryContextHandle(int device)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _device = device;
        SetHandle(DriverApi.RetainPrimaryContext(device));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => DriverApi.ReleasePrimaryContext(_device) == 0;
}

/// <summary>A CUDA stream (cuStreamCreate / cuStreamDestroy).</summary>
internal sealed class StreamHandle : SafeHandle
{
    public StreamHandle()
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(DriverApi.CreateStream());

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => DriverApi.DestroyStream(handle) == 0;
}

/// <summary>A CUDA event (cuEventCreate / cuEventDestroy), for timing work on a stream.</summary>
internal sealed class EventHandle : SafeHandle
{
    public EventHandle()
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(DriverApi.CreateEvent());

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => DriverApi.DestroyEvent(handle) == 0;
}

/// <summary>A loaded module (cuModuleLoadData / cuModuleUnload).</summary>
internal sealed class CudaModuleHandle : SafeHandle
{
    public CudaModuleHandle(byte[] ptx)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(DriverApi.LoadModule(ptx));

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => DriverApi.UnloadModule(handle) == 0;
}

/// <summary>A cuBLAS handle (cublasCreate / cublasDestroy).</summary>
internal sealed class CublasHandle : SafeHandle
{
    public CublasHandle()
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(CublasApi.Create());

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => CublasApi.Destroy(handle) == 0;
}

/// <summary>
/// One block of device memory from <see cref="DeviceAllocator"/>. Releasing the handle (Dispose, or the finalizer
/// when a tensor is collected) returns the block to the allocator's size-class bucket instead of freeing it; the
/// allocator frees cached blocks when an allocation would otherwise fail.
/// </summary>
internal sealed class DeviceMemoryHandle : SafeHandle
{
    private readonly DeviceAllocator _owner;
    private readonly DevicePool _pool;

    public DeviceMemoryHandle(DeviceAllocator owner, ulong pointer, long bytes, DevicePool pool)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _owner = owner;
        _pool = pool;
        Bytes = bytes;
        SetHandle((IntPtr)(long)pointer);
    }

    /// <summary>The block's size class in bytes.</summary>
    public long Bytes { get; }

    public ulong Pointer => (ulong)(long)handle;

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        _owner.Return((ulong)(long)handle, Bytes, _pool);
        return true;
    }
}
