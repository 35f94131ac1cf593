using System.Text.Json.Serialization;
using Rerank.Benchmarks;

namespace Rerank.Cli;

/// <summary>JSON for benchmark results (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ServeBenchResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
