namespace Rerank.Engine;

/// <summary>
/// A float32, row-major, contiguous tensor on one <see cref="Device"/>. Its storage comes from the current
/// <see cref="TensorScope"/>'s pool when one is open (and is reused after the scope ends), else from the heap.
/// Operations live in <see cref="Ops"/> (and as operators here); each records itself on the autograd tape
/// when gradients are enabled and an input requires them.
/// </summary>
public sealed partial class Tensor
{
    private TensorShape _shape;

    internal Tensor(TensorStorage storage, int offset, TensorShape shape)
    {
        Storage = storage;
        Offset = offset;
        _shape = shape;
    }

    /// <summary>The dimensions.</summary>
    public TensorShape Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Count => _shape.Count;

    /// <summary>The device holding the data.</summary>
    public Device Device => Storage.Device;

    /// <summary>A name used in state dicts and error messages (parameters have one).</summary>
    public string? Name { get; set; }

    /// <summary>Whether gradients flow to this tensor. Set on leaves (parameters); ops derive it for their outputs.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient after <see cref="Backward()"/>, or null.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>True when the tensor was created by the user (not by a recorded op).</summary>
    public bool IsLeaf => GradFn is null;

    internal TensorStorage Storage { get; private set; }

    internal int Offset { get; private set; }

    internal TapeNode? GradFn { get; set; }

    /// <summary>The elements as a span (CPU tensors only).</summary>
    /// <exception cref="InvalidOperationException">The tensor is not on the CPU.</exception>
    public Span<float> Span => Storage is CpuStorage cpu
        ? cpu.Array.AsSpan(Offset, _shape.Count)
        : throw new InvalidOperationException($"Tensor{Describe()} of shape {Shape} lives on {Device}; its elements are not host memory: copy it with ToCpu() or ToArray() first.");

    /// <summary>The element at a flat (row-major) index.</summary>
    public float this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The element at a 2-D index.</summary>
    public float this[int i, int j]
    {
        get => Span[(i * _shape[1]) + j];
        set => Span[(i * _shape[1]) + j] = value;
    }

    /// <summary>The element at a 3-D index.</summary>
    public float this[int i, int j, int k]
    {
        get => Span[(((i * _shape[1]) + j) * _shape[2]) + k];
        set => Span[(((i * _shape[1]) + j) * _shape[2]) + k] = value;
    }

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => _shape[dim];

    /// <summary>Copies the elements into a new array (from device memory too: waits for the device's queued work).</summary>
    public float[] ToArray()
    {
        if (Storage is CpuStorage)
        {
            return Span.ToArray();
        }

        var a = new float[Count];
        CopyTo(a);
        return a;
    }

    /// <summary>Copies <paramref name="source"/> into this tensor.</summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Count)
        {
            throw new ArgumentException($"Cannot copy {source.Length} values into tensor{Describe()} of shape {Shape} ({Count} elements).", nameof(source));
        }

        if (Storage is CpuStorage)
        {
            source.CopyTo(Span);
        }
        else
        {
            ((Backends.Cuda.CudaBackend)Backend.Of(this)).Upload(source, this);
        }
    }

    /// <summary>Copies this tensor into <paramref name="destination"/> (from device memory too).</summary>
    public void CopyTo(Span<float> destination)
    {
        if (Storage is CpuStorage)
        {
            Span.CopyTo(destination);
            return;
        }

        if (destination.Length < Count)
        {
            throw new ArgumentException($"Destination of {destination.Length} elements is shorter than tensor{Describe()} of shape {Shape}.", nameof(destination));
        }

        ((Backends.Cuda.CudaBackend)Backend.Of(this)).Download(this, destination[..Count]);
    }

    /// <summary>The single value of a one-element tensor (from device memory too).</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public float ToScalar() => Count == 1
        ? (Storage is CpuStorage ? Span[0] : ToArray()[0])
        : throw new InvalidOperationException($"ToScalar() needs a one-element tensor; tensor{Describe()} has shape {Shape}.");

    /// <summary>Formats as <c>Tensor[2, 3] on cpu</c>.</summary>
    public override string ToString() => $"Tensor{Describe()}{Shape} on {Device}";

    internal string Describe() => Name is null ? string.Empty : $" '{Name}'";

    /// <summary>Re-points a pooled tensor object at a new shape (pool use only).</summary>
    internal void Reset(TensorShape shape)
    {
        _shape = shape;
        Grad = null;
        GradFn = null;
        RequiresGrad = false;
        Name = null;
    }
}
