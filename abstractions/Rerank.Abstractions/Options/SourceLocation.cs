namespace Rerank.Abstractions;

/// <summary>Where a configuration value came from: file, line and column (1-based).</summary>
/// <param name="File">The file path (or a description such as <c>&lt;request&gt;</c>).</param>
/// <param name="Line">Line, from 1 (0 when unknown).</param>
/// <param name="Column">Column, from 1 (0 when unknown).</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location that is not in any file.</summary>
    public static SourceLocation None { get; } = new("<none>", 0, 0);

    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>One configuration error: where and what.</summary>
/// <param name="Location">Where the offending value is.</param>
/// <param name="Message">What is wrong, naming the offending key or value.</param>
public sealed record ConfigError(SourceLocation Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Message}";
}
