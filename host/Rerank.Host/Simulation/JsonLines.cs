using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Rerank.Host.IO;

namespace Rerank.Host.Simulation;

/// <summary>Gzipped JSON Lines, written atomically and read with errors that name the file and line.</summary>
internal static class JsonLines
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Writes one compact JSON value per item of <paramref name="items"/>.</summary>
    public static void Write<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        AtomicFile.Write(path, stream =>
        {
            using var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
            var buffer = new ArrayBufferWriter<byte>(4096);
            using var writer = new Utf8JsonWriter(buffer);
            foreach (var item in items)
            {
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                write(writer, item);
                writer.Flush();
                gzip.Write(buffer.WrittenSpan);
                gzip.Write(NewLine);
            }
        });
    }

    /// <summary>Parses every line of <paramref name="path"/>; a bad line or a broken file is an <see cref="InvalidDataException"/> naming both.</summary>
    public static List<T> Read<T>(string path, Func<JsonElement, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Simulated dataset file '{path}' is missing.", path);
        }

        var items = new List<T>();
        var line = 0;
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (text.Length == 0)
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(text);
                items.Add(parse(doc.RootElement));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"{path}:{line + (line == 0 ? 1 : 0)}: {e.Message}", e);
        }

        return items;
    }

    /// <summary>The property <paramref name="name"/> of <paramref name="element"/>, or an error naming it.</summary>
    public static JsonElement Get(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"missing property '{name}'");

    public static int[] Ints(this JsonElement element, string name)
    {
        var array = element.Get(name);
        var values = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var v in array.EnumerateArray())
        {
            values[i++] = v.GetInt32();
        }

        return values;
    }

    public static float[] Floats(this JsonElement element, string name)
    {
        var array = element.Get(name);
        var values = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var v in array.EnumerateArray())
        {
            values[i++] = v.GetSingle();
        }

        return values;
    }

    public static double[] Doubles(this JsonElement element, string name)
    {
        var array = element.Get(name);
        var values = new double[array.GetArrayLength()];
        var i = 0;
        foreach (var v in array.EnumerateArray())
        {
            values[i++] = v.GetDouble();
        }

        return values;
    }

    public static void WriteArray(this Utf8JsonWriter w, string name, ReadOnlySpan<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    public static void WriteArray(this Utf8JsonWriter w, string name, ReadOnlySpan<float> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    public static void WriteArray(this Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
