using System.Buffers.Binary;
using System.Text;

namespace Rerank.Engine.Onnx;

/// <summary>A minimal protocol-buffers encoder: varints, 32-bit floats, length-delimited bytes, strings and nested messages.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _stream.ToArray();

    /// <summary>Field <paramref name="field"/> as a varint (wire type 0); negative values take ten bytes, as protobuf's int64 does.</summary>
    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, 0);
        RawVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>Field <paramref name="field"/> as a little-endian float (wire type 5).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _stream.Write(bytes);
        return this;
    }

    /// <summary>Field <paramref name="field"/> as length-delimited bytes (wire type 2).</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        RawVarint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    /// <summary>Field <paramref name="field"/> as a UTF-8 string.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Field <paramref name="field"/> as a nested message.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>Field <paramref name="field"/> as packed varints.</summary>
    public ProtoWriter PackedVarints(int field, IEnumerable<long> values)
    {
        var inner = new ProtoWriter();
        foreach (var v in values)
        {
            inner.RawVarint(unchecked((ulong)v));
        }

        return Bytes(field, inner.ToArray());
    }

    /// <summary>Field <paramref name="field"/> as packed little-endian floats.</summary>
    public ProtoWriter PackedFloats(int field, IReadOnlyList<float> values)
    {
        var bytes = new byte[values.Count * 4];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return Bytes(field, bytes);
    }

    private void Tag(int field, int wireType) => RawVarint(((ulong)field << 3) | (uint)wireType);

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
