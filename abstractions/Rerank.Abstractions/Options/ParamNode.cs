using System.Collections.Immutable;

namespace Rerank.Abstractions;

/// <summary>A value of a component's YAML <c>params:</c>, kept with its location for error messages.</summary>
public abstract record ParamNode(SourceLocation Location);

/// <summary>A scalar (its text as written).</summary>
/// <param name="Value">The text; <see langword="null"/> for YAML null.</param>
/// <param name="Location">Where it is.</param>
public sealed record ParamScalar(string? Value, SourceLocation Location) : ParamNode(Location);

/// <summary>A sequence of values.</summary>
/// <param name="Items">The items.</param>
/// <param name="Location">Where it starts.</param>
public sealed record ParamSequence(ImmutableArray<ParamNode> Items, SourceLocation Location) : ParamNode(Location);

/// <summary>A mapping of keys to values, in source order.</summary>
/// <param name="Entries">Key, key location and value.</param>
/// <param name="Location">Where it starts.</param>
public sealed record ParamMapping(ImmutableArray<ParamEntry> Entries, SourceLocation Location) : ParamNode(Location)
{
    /// <summary>An empty mapping.</summary>
    public static ParamMapping Empty { get; } = new([], SourceLocation.None);

    /// <summary>The value under <paramref name="key"/>, or <see langword="null"/>.</summary>
    public ParamNode? this[string key] => Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.Ordinal))?.Value;
}

/// <summary>One entry of a <see cref="ParamMapping"/>.</summary>
/// <param name="Key">The key as written.</param>
/// <param name="KeyLocation">Where the key is.</param>
/// <param name="Value">The value.</param>
public sealed record ParamEntry(string Key, SourceLocation KeyLocation, ParamNode Value);
