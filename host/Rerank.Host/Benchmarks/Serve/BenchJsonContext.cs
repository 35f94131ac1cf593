using System.Text.Json.Serialization;

namespace Rerank.Host.Benchmarks;

/// <summary>JSON for benchmark results (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ServeBenchResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
