using System.Text.Json;

namespace Rerank.Serving.Json;

/// <summary>
/// The hot path for <c>:rerank</c> and <c>:rerank-batch</c> bodies: one pass of a <see cref="Utf8JsonReader"/> straight into a
/// <see cref="RerankRequestJson"/>, without the serializer's per-property machinery (about half of a request's CPU time
/// at N = 50 went there). It accepts a strict subset of what <see cref="ServingJson.Context"/> accepts and builds the same
/// object; anything else — an unknown or repeated field, an unexpected token, invalid JSON — makes it answer false, and the caller
/// falls back to the serializer, whose error message names the offending field. So the fast path changes speed, never
/// behaviour.
/// </summary>
internal static partial class RequestJsonReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Reads a whole body; false (and null) when the body needs the serializer's judgement.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out RerankRequestJson? request)
    {
        request = null;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !TryReadRequest(ref reader, out var result) || reader.Read())
            {
                return false;
            }

            request = result;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads a whole <c>:rerank-batch</c> body (<c>{"requests": [...]}</c>); false (and null) as for <see cref="TryRead"/>.</summary>
    public static bool TryReadBatch(ReadOnlySpan<byte> json, out RerankBatchRequestJson? batch)
    {
        batch = null;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var result = new RerankBatchRequestJson();
            var seen = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("requests"u8) || !First(ref seen, 0) || !reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    result.Requests = null;
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                var requests = new List<RerankRequestJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.Null:
                            requests.Add(null!);
                            break;
                        case JsonTokenType.StartObject when TryReadRequest(ref reader, out var request):
                            requests.Add(request);
                            break;
                        default:
                            return false;
                    }
                }

                result.Requests = requests;
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            batch = result;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadRequest(ref Utf8JsonReader reader, out RerankRequestJson request)
    {
        request = new RerankRequestJson();
        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            bool ok;
            int field;
            if (reader.ValueTextEquals("candidates"u8))
            {
                field = 0;
                ok = TryReadItems(ref reader, out var items);
                request.Candidates = items;
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                field = 1;
                ok = TryReadString(ref reader, out var id);
                request.RequestId = id;
            }
            else if (reader.ValueTextEquals("user_id"u8))
            {
                field = 2;
                ok = TryReadString(ref reader, out var id);
                request.UserId = id;
            }
            else if (reader.ValueTextEquals("user_categorical"u8))
            {
                field = 3;
                ok = TryReadInts(ref reader, out var values);
                request.UserCategorical = values;
            }
            else if (reader.ValueTextEquals("user_dense"u8))
            {
                field = 4;
                ok = TryReadFloats(ref reader, out var values);
                request.UserDense = values;
            }
            else if (reader.ValueTextEquals("context_categorical"u8))
            {
                field = 5;
                ok = TryReadInts(ref reader, out var values);
                request.ContextCategorical = values;
            }
            else if (reader.ValueTextEquals("context_dense"u8))
            {
                field = 6;
                ok = TryReadFloats(ref reader, out var values);
                request.ContextDense = values;
            }
            else if (reader.ValueTextEquals("history"u8))
            {
                field = 7;
                ok = TryReadItems(ref reader, out var items);
                request.History = items;
            }
            else if (reader.ValueTextEquals("slate_size"u8))
            {
                field = 8;
                int? size = null;
                ok = reader.Read() && TryReadNullableInt(ref reader, out size);
                request.SlateSize = size;
            }
            else
            {
                return false;
            }

            if (!ok || !First(ref seen, field))
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryReadItems(ref Utf8JsonReader reader, out List<ItemJson>? items)
    {
        items = null;
        var start = StartArray(ref reader);
        if (start != ArrayStart.Array)
        {
            return start == ArrayStart.Null;
        }

        items = [];
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    return true;
                case JsonTokenType.Null:
                    items.Add(null!);
                    break;
                case JsonTokenType.StartObject:
                    if (!TryReadItem(ref reader, out var item))
                    {
                        return false;
                    }

                    items.Add(item);
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool TryReadItem(ref Utf8JsonReader reader, out ItemJson item)
    {
        item = new ItemJson();
        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            bool ok;
            int field;
            if (reader.ValueTextEquals("embedding"u8))
            {
                field = 0;
                ok = TryReadFloats(ref reader, out var values);
                item.Embedding = values;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                field = 1;
                ok = TryReadString(ref reader, out var id);
                item.Id = id;
            }
            else if (reader.ValueTextEquals("categorical"u8))
            {
                field = 2;
                ok = TryReadInts(ref reader, out var values);
                item.Categorical = values;
            }
            else if (reader.ValueTextEquals("priors"u8))
            {
                field = 3;
                ok = TryReadFloats(ref reader, out var values);
                item.Priors = values;
            }
            else if (reader.ValueTextEquals("dense"u8))
            {
                field = 4;
                ok = TryReadFloats(ref reader, out var values);
                item.Dense = values;
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                field = 5;
                float? price = null;
                ok = reader.Read() && TryReadNullableFloat(ref reader, out price);
                item.Price = price;
            }
            else
            {
                return false;
            }

            if (!ok || !First(ref seen, field))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Marks field <paramref name="bit"/> as read; false when it was read before (a repeated field, which the serializer then refuses by name).</summary>
    private static bool First(ref int seen, int bit)
    {
        var mask = 1 << bit;
        if ((seen & mask) != 0)
        {
            return false;
        }

        seen |= mask;
        return true;
    }
}
