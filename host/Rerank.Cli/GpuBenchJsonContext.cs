using System.Text.Json.Serialization;
using Rerank.Benchmarks;

namespace Rerank.Cli;

/// <summary>Source-generated JSON for <c>rerank bench gpu --out</c>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<GpuBenchmarkRow>))]
internal sealed partial class GpuBenchJsonContext : JsonSerializerContext;
