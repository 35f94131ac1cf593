using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Rerank.Engine.Backends.Cpu;

/// <summary>The CPU backend: TensorPrimitives where it has the op, Vector256 loops elsewhere, a packed AVX2 GEMM.</summary>
internal sealed unsafe partial class CpuBackend : IBackend
{
    public Device Device => Device.Cpu;

    public TensorStorage Allocate(int length) => new CpuStorage(length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Tensor t, float value) => S(t).Fill(value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Copy(Tensor src, Tensor dst) => S(src).CopyTo(S(dst));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Axpy(float alpha, Tensor x, Tensor y)
    {
        if (alpha == 1f)
        {
            TensorPrimitives.Add(S(y), S(x), S(y));
        }
        else
        {
            TensorPrimitives.MultiplyAdd(S(x), alpha, S(y), S(y));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double SumSquares(Tensor x)
    {
        var s = S(x);
        double total = 0;
        const int Chunk = 4096;
        for (var i = 0; i < s.Length; i += Chunk)
        {
            total += TensorPrimitives.SumOfSquares(s.Slice(i, Math.Min(Chunk, s.Length - i)));
        }

        return total;
    }

    /// <summary>
    /// The calling thread's pinned scratch held in <paramref name="slot"/> (a [ThreadStatic] field), grown to at least
    /// <paramref name="need"/> floats: kernels allocate only the first time, or when a larger shape comes.
    /// </summary>
    internal static float[] Scratch(ref float[]? slot, int need)
    {
        if (slot is null || slot.Length < need)
        {
            slot = GC.AllocateArray<float>(need, pinned: true);
        }

        return slot;
    }

    internal static Span<float> S(Tensor t) => ((CpuStorage)t.Storage).Array.AsSpan(t.Offset, t.Count);

    internal static float* P(Tensor t) => ((CpuStorage)t.Storage).Pointer(t.Offset);
}
