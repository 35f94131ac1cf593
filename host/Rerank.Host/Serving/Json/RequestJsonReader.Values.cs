using System.Text.Json;

namespace Rerank.Host.Serving.Json;

/// <summary>The value readers of <see cref="RequestJsonReader"/>: strings, nullable numbers and exact-length number arrays.</summary>
internal static partial class RequestJsonReader
{
    [ThreadStatic]
    private static float[]? floatScratch;

    [ThreadStatic]
    private static int[]? intScratch;

    private static bool TryReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (!reader.Read())
        {
            return false;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadNullableInt(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetInt32(out var v):
                value = v;
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadNullableFloat(ref Utf8JsonReader reader, out float? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number:
                value = FastFloat.Read(ref reader);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Like <see cref="IntArrayConverter"/>: null, or an array of 32-bit integers read into an exact-length array.</summary>
    private static bool TryReadInts(ref Utf8JsonReader reader, out int[]? values)
    {
        values = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var buffer = intScratch ??= new int[64];
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                values = buffer.AsSpan(0, count).ToArray();
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v))
            {
                return false;
            }

            if (count == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
                intScratch = buffer;
            }

            buffer[count++] = v;
        }

        return false;
    }

    /// <summary>Like <see cref="FloatArrayConverter"/>: null, or numbers (and the strings NaN, ±Infinity) into an exact-length array.</summary>
    private static bool TryReadFloats(ref Utf8JsonReader reader, out float[]? values)
    {
        values = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var buffer = floatScratch ??= new float[256];
        var count = 0;
        while (reader.Read())
        {
            float v;
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    values = buffer.AsSpan(0, count).ToArray();
                    return true;
                case JsonTokenType.Number:
                    v = FastFloat.Read(ref reader);
                    break;
                case JsonTokenType.String when reader.ValueTextEquals("NaN"u8):
                    v = float.NaN;
                    break;
                case JsonTokenType.String when reader.ValueTextEquals("Infinity"u8):
                    v = float.PositiveInfinity;
                    break;
                case JsonTokenType.String when reader.ValueTextEquals("-Infinity"u8):
                    v = float.NegativeInfinity;
                    break;
                default:
                    return false;
            }

            if (count == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
                floatScratch = buffer;
            }

            buffer[count++] = v;
        }

        return false;
    }
}
