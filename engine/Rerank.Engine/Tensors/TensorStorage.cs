using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rerank.Engine;

/// <summary>A flat float32 buffer on one device. Backends own the concrete type.</summary>
internal abstract class TensorStorage
{
    public abstract Device Device { get; }

    /// <summary>Capacity in elements.</summary>
    public abstract int Length { get; }
}

/// <summary>Host memory: a managed array on the pinned object heap, so kernels may hold raw pointers to it.</summary>
internal sealed unsafe class CpuStorage(int length) : TensorStorage
{
    public float[] Array { get; } = length == 0 ? [] : GC.AllocateArray<float>(length, pinned: true);

    public override Device Device => Device.Cpu;

    public override int Length => Array.Length;

    /// <summary>The address of element <paramref name="offset"/> (valid: the array is pinned for its lifetime).</summary>
    public float* Pointer(int offset) =>
        Array.Length == 0 ? null : (float*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Array), offset));
}
