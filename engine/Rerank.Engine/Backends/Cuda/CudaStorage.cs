using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

/// <summary>Device memory holding float32 elements; the block belongs to a <see cref="DeviceMemoryHandle"/> (pooled).</summary>
internal sealed class CudaStorage(DeviceMemoryHandle memory, int length, Device device) : TensorStorage
{
    public DeviceMemoryHandle Memory { get; } = memory;

    public override Device Device { get; } = device;

    public override int Length { get; } = length;

    /// <summary>The device address of element <paramref name="offset"/>.</summary>
    public ulong Address(int offset) => Memory.Pointer + ((ulong)offset * sizeof(float));
}
