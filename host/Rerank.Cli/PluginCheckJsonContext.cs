using System.Text.Json.Serialization;
using Rerank.Runtime.Plugins.Inspection;

namespace Rerank.Cli;

/// <summary>JSON for <c>rerank plugins check --json</c> (snake_case, indented, levels as words).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PluginReport))]
internal sealed partial class PluginCheckJsonContext : JsonSerializerContext;
