using System.Text.Json;

namespace Rerank.Serving.Json;

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
        var start = StartArray(ref reader);
        if (start != ArrayStart.Array)
        {
            return start == ArrayStart.Null;
        }

        intScratch ??= new int[64];
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                values = intScratch.AsSpan(0, count).ToArray();
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v))
            {
                return false;
            }

            Append(ref intScratch!, ref count, v);
        }

        return false;
    }

    /// <summary>Like <see cref="FloatArrayConverter"/>: null, or numbers (and the strings NaN, ±Infinity) into an exact-length array.</summary>
    private static bool TryReadFloats(ref Utf8JsonReader reader, out float[]? values)
    {
        values = null;
        var start = StartArray(ref reader);
        if (start != ArrayStart.Array)
        {
            return start == ArrayStart.Null;
        }

        floatScratch ??= new float[256];
        var count = 0;
        while (reader.Read())
        {
            float v;
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    values = floatScratch.AsSpan(0, count).ToArray();
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

            Append(ref floatScratch!, ref count, v);
        }

        return false;
    }

    private enum ArrayStart
    {
        Invalid,
        Null,
        Array,
    }

    /// <summary>Reads the next token: an array's start, a JSON null, or anything else (not for the fast path).</summary>
    private static ArrayStart StartArray(ref Utf8JsonReader reader) =>
        !reader.Read() ? ArrayStart.Invalid
        : reader.TokenType == JsonTokenType.Null ? ArrayStart.Null
        : reader.TokenType == JsonTokenType.StartArray ? ArrayStart.Array
        : ArrayStart.Invalid;

    /// <summary>Appends to a per-thread scratch buffer, doubling it when full.</summary>
    private static void Append<T>(ref T[] buffer, ref int count, T value)
    {
        if (count == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        buffer[count++] = value;
    }
}
