using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Rerank.Runtime.IO;

namespace Rerank.Simulation;

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

    /// <summary>
    /// Parses every line of <paramref name="path"/> (in parallel; results keep file order); a bad line or a broken file
    /// is an <see cref="InvalidDataException"/> naming both (the first bad line when there are several).
    /// </summary>
    public static T[] Read<T>(string path, Func<JsonElement, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Simulated dataset file '{path}' is missing.", path);
        }

        var lines = new List<string>();
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            while (reader.ReadLine() is { } text)
            {
                lines.Add(text);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}:{lines.Count + 1}: not a readable gzip file ({e.Message})", e);
        }

        var items = new T[lines.Count];
        var firstBad = int.MaxValue;
        Exception? error = null;
        var gate = new object();
        Parallel.For(0, lines.Count, i =>
        {
            try
            {
                using var doc = JsonDocument.Parse(lines[i]);
                items[i] = parse(doc.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or IndexOutOfRangeException or ArgumentException)
            {
                lock (gate)
                {
                    if (i < firstBad)
                    {
                        firstBad = i;
                        error = e;
                    }
                }
            }
        });
        return error is null ? items : throw new InvalidDataException($"{path}:{firstBad + 1}: {Describe(error)}", error);
    }

    /// <summary>What went wrong, without the line's text: a JSON syntax error by its position only (its own message quotes the offending character).</summary>
    public static string Describe(Exception e) =>
        e is JsonException json ? $"not valid JSON near byte {(json.BytePositionInLine ?? 0) + 1}" : e.Message;

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
