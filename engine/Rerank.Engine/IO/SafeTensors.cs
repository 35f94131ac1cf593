using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Rerank.Engine.IO;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length, a UTF-8 JSON
/// header mapping each name to {dtype, shape, data_offsets} plus an optional <c>__metadata__</c> string map, then
/// the raw little-endian data, tensors packed back to back with no gaps. Files are written atomically.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeader = 100_000_000;

    private static readonly Dictionary<string, int> DtypeSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8,
        ["F32"] = 4,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I64"] = 8,
        ["I32"] = 4,
        ["I16"] = 2,
        ["I8"] = 1,
        ["U64"] = 8,
        ["U32"] = 4,
        ["U16"] = 2,
        ["U8"] = 1,
        ["BOOL"] = 1,
        ["F8_E4M3"] = 1,
        ["F8_E5M2"] = 1,
    };

    /// <summary>Writes the tensors (in name order) and metadata to <paramref name="path"/> via a temp file and a rename.</summary>
    /// <exception cref="ArgumentException">Duplicate or empty names, or a non-CPU tensor.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        // Device tensors (e.g. a module moved to the GPU) are copied to the host first.
        var list = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValuePair<string, Tensor>(t.Key, t.Value.ToCpu())).ToList();
        var header = BuildHeader(list, metadata);
        WriteAtomically(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            stream.Write(len);
            stream.Write(header);
            foreach (var (_, t) in list)
            {
                var bytes = MemoryMarshal.AsBytes(t.Span);
                if (BitConverter.IsLittleEndian)
                {
                    stream.Write(bytes);
                }
                else
                {
                    var copy = bytes.ToArray();
                    for (var i = 0; i < copy.Length; i += 4)
                    {
                        Array.Reverse(copy, i, 4);
                    }

                    stream.Write(copy);
                }
            }
        });
    }

    /// <summary>Reads a safetensors file; F32 tensors come with data, others with their dtype and shape only.</summary>
    /// <exception cref="InvalidDataException">
    /// The file breaks the format. The message says what is wrong and where (byte positions, tensor names of a header that
    /// parsed), never the bytes themselves: a foreign file named as a checkpoint must not show up in an error.
    /// </exception>
    public static SafeTensorsFile Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw NotSafetensors(path, "shorter than the 8-byte header length field");
        }

        var n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeader || (long)n > bytes.Length - 8)
        {
            throw NotSafetensors(path, "header length field out of range");
        }

        var dataStart = 8 + (int)n;
        var dataLength = bytes.Length - dataStart;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        }
        catch (JsonException e)
        {
            // JsonException's message quotes the offending character; only its position is reported.
            throw NotSafetensors(path, $"header is not valid JSON near line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw NotSafetensors(path, "header is not a JSON object");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(SafeTensorEntry Entry, long Begin, long End)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String
                            ? m.Value.GetString()!
                            : throw new InvalidDataException($"{path}: __metadata__ value {Quote(m.Name)} is not a string.");
                    }

                    continue;
                }

                entries.Add(ReadEntry(path, prop, bytes, dataStart, dataLength));
            }

            CheckCoverage(path, entries.Select(e => (e.Entry.Name, e.Begin, e.End)).ToList(), dataLength);
            return new SafeTensorsFile([.. entries.Select(e => e.Entry)], metadata);
        }
    }

    private static (SafeTensorEntry, long, long) ReadEntry(string path, JsonProperty prop, byte[] bytes, int dataStart, int dataLength)
    {
        var v = prop.Value;
        if (!v.TryGetProperty("dtype", out var dt) || !v.TryGetProperty("shape", out var sh) || !v.TryGetProperty("data_offsets", out var off))
        {
            throw new InvalidDataException($"{path}: tensor {Quote(prop.Name)} lacks dtype, shape or data_offsets.");
        }

        var dtype = dt.GetString() ?? string.Empty;
        if (!DtypeSizes.TryGetValue(dtype, out var size))
        {
            throw new InvalidDataException($"{path}: tensor {Quote(prop.Name)} has unknown dtype {Quote(dtype)}.");
        }

        var shape = sh.EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var offsets = off.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
        {
            throw new InvalidDataException($"{path}: tensor {Quote(prop.Name)} has data_offsets outside the {dataLength}-byte data.");
        }

        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (count * size != offsets[1] - offsets[0])
        {
            throw new InvalidDataException($"{path}: tensor {Quote(prop.Name)} of {dtype} [{string.Join(", ", shape)}] needs {count * size} bytes, data_offsets span {offsets[1] - offsets[0]}.");
        }

        Tensor? data = null;
        if (dtype == SafeTensorEntry.Float32 && shape.Length <= TensorShape.MaxRank)
        {
            data = Tensor.HeapZeros(new TensorShape(shape), Device.Cpu);
            var src = bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]));
            var dst = data.Span;
            for (var i = 0; i < dst.Length; i++)
            {
                dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]);
            }
        }

        return (new SafeTensorEntry(prop.Name, dtype, shape, data), offsets[0], offsets[1]);
    }

    /// <summary>The data buffer must be covered exactly: sorted by offset, each tensor starts where the last ended.</summary>
    private static void CheckCoverage(string path, List<(string Name, long Begin, long End)> spans, int dataLength)
    {
        long cursor = 0;
        foreach (var (name, begin, end) in spans.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (begin != cursor)
            {
                throw new InvalidDataException($"{path}: tensor {Quote(name)} starts at byte {begin}, expected {cursor} (gap or overlap).");
            }

            cursor = end;
        }

        if (cursor != dataLength)
        {
            throw new InvalidDataException($"{path}: tensors cover {cursor} of {dataLength} data bytes.");
        }
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> list, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            long offset = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, t) in list)
            {
                if (string.IsNullOrEmpty(name) || name == "__metadata__" || !seen.Add(name))
                {
                    throw new ArgumentException($"Safetensors tensor name '{name}' is empty, reserved or duplicated.", nameof(list));
                }

                w.WriteStartObject(name);
                w.WriteString("dtype", SafeTensorEntry.Float32);
                w.WriteStartArray("shape");
                for (var d = 0; d < t.Rank; d++)
                {
                    w.WriteNumberValue(t.Shape[d]);
                }

                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += 4L * t.Count;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        // Pad with spaces so the data starts 8-byte aligned (what the reference writer does).
        var json = ms.ToArray();
        var padded = (json.Length + 7) / 8 * 8;
        var header = new byte[padded];
        json.CopyTo(header, 0);
        header.AsSpan(json.Length).Fill((byte)' ');
        return header;
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static InvalidDataException NotSafetensors(string path, string why) => new($"'{path}' is not a safetensors file ({why})");

    /// <summary>
    /// A name read from a header that parsed, quoted for a message: printable ASCII up to 64 characters as is, anything
    /// else only by its length (a crafted header must not carry arbitrary text into logs).
    /// </summary>
    private static string Quote(string name) =>
        name.Length <= 64 && name.All(c => c is >= ' ' and <= '~' and not '\'')
            ? $"'{name}'"
            : $"(a name of {name.Length} characters)";

    /// <summary>Reads only the header's JSON text (for tools and tests).</summary>
    public static string ReadHeaderJson(string path)
    {
        using var fs = File.OpenRead(path);
        Span<byte> len = stackalloc byte[8];
        fs.ReadExactly(len);
        var n = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (n > MaxHeader)
        {
            throw NotSafetensors(path, "header length field out of range");
        }

        var buf = new byte[n];
        fs.ReadExactly(buf);
        return Encoding.UTF8.GetString(buf);
    }
}
