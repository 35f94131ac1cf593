using System.Text.Json.Serialization;
using Rerank.Engine.Benchmarks;

namespace Rerank.Host.Benchmarks;

/// <summary>Source-generated JSON for <c>rerank bench gpu --out</c>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<GpuBenchmarkRow>))]
internal sealed partial class GpuBenchJsonContext : JsonSerializerContext;
