using System.Text.Json.Serialization;

namespace Rerank.Serving.Json;

/// <summary>Source-generated, snake_case JSON for every serving body. Unknown and repeated request properties are errors; NaN and infinity may be written as strings and are then refused by the request validator.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    AllowDuplicateProperties = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    Converters = [typeof(FloatArrayConverter), typeof(IntArrayConverter)])]
[JsonSerializable(typeof(RerankRequestJson))]
[JsonSerializable(typeof(RerankBatchRequestJson))]
[JsonSerializable(typeof(RerankResponseJson))]
[JsonSerializable(typeof(RerankBatchResponseJson))]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(LiveJson))]
[JsonSerializable(typeof(ReadyJson))]
[JsonSerializable(typeof(ModelMetadataJson))]
[JsonSerializable(typeof(ReloadResultJson))]
[JsonSerializable(typeof(AdminStatusJson))]
internal sealed partial class ServingJsonContext : JsonSerializerContext;

/// <summary>The context the server uses: <see cref="ServingJsonContext"/> with relaxed escaping, so messages keep their quotes readable (bodies are JSON, never HTML).</summary>
internal static class ServingJson
{
    public static ServingJsonContext Context { get; } = new(new System.Text.Json.JsonSerializerOptions(ServingJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
