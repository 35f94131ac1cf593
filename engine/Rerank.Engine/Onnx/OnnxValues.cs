using System.Buffers.Binary;
using System.Globalization;

namespace Rerank.Engine.Onnx;

/// <summary>ONNX tensor element types (TensorProto.DataType).</summary>
public enum OnnxType
{
    /// <summary>float32.</summary>
    Float = 1,

    /// <summary>int32 (a GRU's sequence lengths).</summary>
    Int32 = 6,

    /// <summary>int64.</summary>
    Int64 = 7,

    /// <summary>bool.</summary>
    Bool = 9,
}

/// <summary>One dimension of a declared shape: a fixed size or a named dynamic axis.</summary>
public readonly record struct OnnxDim(long Value, string? Param)
{
    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxDim(long value) => new(value, null);

    /// <summary>A named dynamic axis.</summary>
    public static implicit operator OnnxDim(string param) => new(0, param);

    /// <inheritdoc />
    public override string ToString() => Param ?? Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A value in a graph (an input, an initializer or a node output), by name.</summary>
public sealed record OnnxValue(string Name);

/// <summary>A constant tensor (TensorProto), float32 or int64, stored as little-endian raw data.</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(OnnxType type, long[] dims, byte[] raw)
    {
        Type = type;
        Dims = dims;
        Raw = raw;
    }

    /// <summary>The element type.</summary>
    public OnnxType Type { get; }

    /// <summary>The shape.</summary>
    public IReadOnlyList<long> Dims { get; }

    internal byte[] Raw { get; }

    /// <summary>A float32 tensor of shape <paramref name="dims"/> (row-major).</summary>
    public static OnnxTensor Floats(ReadOnlySpan<float> values, params long[] dims)
    {
        Check(values.Length, dims);
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        }

        return new OnnxTensor(OnnxType.Float, dims, raw);
    }

    /// <summary>An int64 tensor of shape <paramref name="dims"/> (row-major).</summary>
    public static OnnxTensor Int64s(ReadOnlySpan<long> values, params long[] dims)
    {
        Check(values.Length, dims);
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        }

        return new OnnxTensor(OnnxType.Int64, dims, raw);
    }

    /// <summary>The engine tensor's values and shape.</summary>
    public static OnnxTensor From(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dims = new long[tensor.Shape.Rank];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = tensor.Shape[i];
        }

        return Floats(tensor.ToArray(), dims);
    }

    internal ProtoWriter Proto(string? name)
    {
        var w = new ProtoWriter().PackedVarints(1, Dims).Varint(2, (int)Type);
        if (name is not null)
        {
            w.String(8, name);
        }

        return w.Bytes(9, Raw);
    }

    private static void Check(int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count)
        {
            throw new ArgumentException($"{count} values do not fill shape [{string.Join(", ", dims)}].");
        }
    }
}

/// <summary>A node attribute (AttributeProto).</summary>
public sealed class OnnxAttribute
{
    private readonly Action<ProtoWriter> _write;

    private OnnxAttribute(string name, Action<ProtoWriter> write)
    {
        Name = name;
        _write = write;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, w => w.Varint(3, value).Varint(20, 2));

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, w => w.PackedVarints(8, values).Varint(20, 7));

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, w => w.Float(2, value).Varint(20, 1));

    /// <summary>A FLOATS attribute.</summary>
    public static OnnxAttribute Floats(string name, params float[] values) => new(name, w => w.PackedFloats(7, values).Varint(20, 6));

    /// <summary>A STRING attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, w => w.String(4, value).Varint(20, 3));

    /// <summary>A TENSOR attribute.</summary>
    public static OnnxAttribute Tensor(string name, OnnxTensor value) => new(name, w => w.Message(5, value.Proto(null)).Varint(20, 4));

    internal ProtoWriter Proto()
    {
        var w = new ProtoWriter().String(1, Name);
        _write(w);
        return w;
    }
}
