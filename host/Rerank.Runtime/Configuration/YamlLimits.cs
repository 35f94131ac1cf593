namespace Rerank.Runtime.Configuration;

/// <summary>
/// Bounds on every YAML file the host reads (pipelines, experiments, serve.yaml, splits, schemas, plugin manifests),
/// checked while parsing and before anything recursive runs, so that no file can exhaust the stack or the memory.
/// </summary>
public static class YamlLimits
{
    /// <summary>The largest file read, in bytes (1 MiB; the biggest shipped file is under 10 KiB).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The deepest nesting of mappings and sequences (the shipped files nest at most 7 deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes (scalars, mappings, sequences) a document may hold once every alias is expanded.</summary>
    public const int MaxNodes = 100_000;
}
