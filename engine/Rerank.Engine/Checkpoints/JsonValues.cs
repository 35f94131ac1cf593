using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rerank.Engine.Checkpoints;

/// <summary>A flat JSON object as key → compact value text, with null values (also nested ones) left out.</summary>
internal static class JsonValues
{
    // Readable metadata: "+" and "<" stay themselves (the values are never embedded in HTML).
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The properties of a JSON object; null-valued ones are left out, and the members of an <paramref name="inline"/> property stand in its place.</summary>
    public static Dictionary<string, string> Of(JsonElement element, IReadOnlySet<string>? inline = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(map, element, inline);
        return map;
    }

    private static void Add(Dictionary<string, string> map, JsonElement element, IReadOnlySet<string>? inline)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (inline is not null && inline.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.Object)
            {
                Add(map, property.Value, null);
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                map[property.Name] = Compact(property.Value);
            }
        }
    }

    /// <summary>Parses a recorded JSON object; null when the text is not one.</summary>
    public static Dictionary<string, string>? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Of(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The object written back as compact JSON, keys in order.</summary>
    public static string ToJson(IReadOnlyDictionary<string, string> map)
    {
        var text = new StringBuilder("{");
        foreach (var (key, value) in map)
        {
            text.Append(text.Length > 1 ? "," : "").Append(JsonSerializer.Serialize(key, new JsonSerializerOptions { Encoder = Writer.Encoder })).Append(':').Append(value);
        }

        return text.Append('}').ToString();
    }

    /// <summary>A value's text without its quotes when it is a JSON string.</summary>
    public static string Unquoted(string json) =>
        json.Length >= 2 && json[0] == '"' ? JsonSerializer.Deserialize<string>(json) ?? "" : json;

    private static string Compact(JsonElement value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Writer))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
