using Rerank.Abstractions;

namespace Rerank.Simulation.Datasets;

/// <summary>The <c>dataset:</c> block: a type, its params, and optionally a folder to load instead of generating.</summary>
/// <param name="Type">Dataset type (<c>simulator</c>, …).</param>
/// <param name="Params">Type-specific params.</param>
/// <param name="Path">A folder to read (e.g. a simulated dataset written by <c>rerank simulate</c>), or null.</param>
/// <param name="Location">Where the block is.</param>
public sealed record DatasetSpec(string Type, ParamMapping? Params, string? Path, SourceLocation Location);
