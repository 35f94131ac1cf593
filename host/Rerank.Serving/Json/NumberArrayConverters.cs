using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.Serving.Json;

/// <summary>
/// Reads <c>float[]</c> straight into an array of the exact length (the default converter grows a list and copies it),
/// which matters for candidate embeddings on the request path. <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>
/// strings are read as such so that the request validator can name the field; any other token is a JSON error.
/// </summary>
internal sealed class FloatArrayConverter : JsonConverter<float[]>
{
    [ThreadStatic]
    private static float[]? scratch;

    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException();
        }

        var buffer = scratch ??= new float[256];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
                scratch = buffer;
            }

            buffer[count++] = reader.TokenType switch
            {
                JsonTokenType.Number => FastFloat.Read(ref reader),
                JsonTokenType.String when reader.ValueTextEquals("NaN"u8) => float.NaN,
                JsonTokenType.String when reader.ValueTextEquals("Infinity"u8) => float.PositiveInfinity,
                JsonTokenType.String when reader.ValueTextEquals("-Infinity"u8) => float.NegativeInfinity,
                _ => throw new JsonException(),
            };
        }

        return buffer.AsSpan(0, count).ToArray();
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value)
        {
            if (float.IsFinite(v))
            {
                writer.WriteNumberValue(v);
            }
            else
            {
                writer.WriteStringValue(float.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
            }
        }

        writer.WriteEndArray();
    }
}

/// <summary>Reads <c>int[]</c> straight into an array of the exact length.</summary>
internal sealed class IntArrayConverter : JsonConverter<int[]>
{
    [ThreadStatic]
    private static int[]? scratch;

    public override int[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException();
        }

        var buffer = scratch ??= new int[64];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
                scratch = buffer;
            }

            buffer[count++] = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : throw new JsonException();
        }

        return buffer.AsSpan(0, count).ToArray();
    }

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
