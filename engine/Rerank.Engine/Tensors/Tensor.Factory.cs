namespace Rerank.Engine;

public sealed partial class Tensor
{
    /// <summary>A zero-filled tensor (pooled inside a <see cref="TensorScope"/>).</summary>
    public static Tensor Zeros(TensorShape shape, Device? device = null)
    {
        var t = Empty(shape, device);
        Backend.Of(t).Fill(t, 0f);
        return t;
    }

    /// <summary>A zero-filled tensor of the given dimensions on the CPU.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> dims) => Zeros(new TensorShape(dims));

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(TensorShape shape, float value, Device? device = null)
    {
        var t = Empty(shape, device);
        Backend.Of(t).Fill(t, value);
        return t;
    }

    /// <summary>A one-element tensor of shape [] holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(default, value);

    /// <summary>A tensor with unspecified contents, for kernels that overwrite every element.</summary>
    public static Tensor Empty(TensorShape shape, Device? device = null)
    {
        var d = device ?? Engine.Device.Cpu;
        var pool = TensorPool.Current;
        return pool.Depth > 0 && !(pool.Capturing && d.Kind != DeviceKind.Cpu) ? pool.Rent(shape, d) : new Tensor(Backend.For(d).Allocate(shape.Count), 0, shape);
    }

    /// <summary>A CPU tensor holding a copy of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    public static Tensor FromArray(ReadOnlySpan<float> data, TensorShape shape)
    {
        if (data.Length != shape.Count)
        {
            throw new ArgumentException($"{data.Length} values do not fill shape {shape} ({shape.Count} elements).", nameof(data));
        }

        var t = Empty(shape);
        data.CopyTo(t.Span);
        return t;
    }

    /// <summary>A CPU tensor of shape [n] holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data) => FromArray(data, new TensorShape(data.Length));

    /// <summary>A tensor of independent N(0, std²) draws from <paramref name="rng"/>.</summary>
    public static Tensor Normal(TensorShape shape, Rng rng, float std = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = Empty(shape);
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = rng.NextNormal() * std;
        }

        return t;
    }

    /// <summary>A tensor of independent U(low, high) draws from <paramref name="rng"/>.</summary>
    public static Tensor Uniform(TensorShape shape, Rng rng, float low, float high)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = Empty(shape);
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = low + ((high - low) * rng.NextFloat());
        }

        return t;
    }

    /// <summary>A heap tensor (never pooled): parameters, gradients, optimizer state.</summary>
    internal static Tensor HeapZeros(TensorShape shape, Device device) =>
        new(Backend.For(device).Allocate(shape.Count), 0, shape);

    /// <summary>A new heap tensor with a copy of this one's data and no tape history.</summary>
    public Tensor Clone()
    {
        var t = HeapZeros(Shape, Device);
        Backend.Of(this).Copy(this, t);
        return t;
    }

    /// <summary>A view of the same data that records no gradient history.</summary>
    public Tensor Detach() => new(Storage, Offset, Shape);

    /// <summary>Creates a view with another shape over the same storage (no copy).</summary>
    internal Tensor View(TensorShape shape)
    {
        var pool = TensorPool.Current;
        if (pool.Depth > 0)
        {
            return pool.RentView(this, shape);
        }

        return new Tensor(Storage, Offset, shape);
    }

    internal void Rebind(Tensor source, TensorShape shape)
    {
        Storage = source.Storage;
        Offset = source.Offset;
        Reset(shape);
    }

    /// <summary>Refuses to make a pooled tensor a parameter: the pool would hand its storage out again.</summary>
    internal static void Adopt(Tensor t)
    {
        if (TensorPool.Current.Depth > 0)
        {
            throw new InvalidOperationException($"Parameter{t.Describe()} was created inside a TensorScope; build modules outside scopes.");
        }
    }
}
