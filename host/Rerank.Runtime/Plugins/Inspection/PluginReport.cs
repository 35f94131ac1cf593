using System.Text.Json.Serialization;

namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>How one check of <c>rerank plugins check</c> came out.</summary>
public enum CheckLevel
{
    /// <summary>Passed.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Works, but something should be fixed (a duplicate contract file, a run skipped for lack of training).</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>Failed: the host would refuse the plugin or the component misbehaves.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>One line of a plugin check: what was checked, how it came out and why.</summary>
/// <param name="Check">What was checked, e.g. <c>load</c>, <c>dependencies</c>, <c>generator initial: run</c>.</param>
/// <param name="Level">Ok, warning or error.</param>
/// <param name="Message">The reason, one line.</param>
public sealed record CheckLine(string Check, CheckLevel Level, string Message);

/// <summary>One component a checked plugin registers, with its params as <c>rerank plugins params</c> shows them.</summary>
/// <param name="Kind">The kind, as YAML writes it (<c>generator</c>, <c>step scorer</c>, …).</param>
/// <param name="Name">The name pipelines reference it by.</param>
/// <param name="Description">One line on what it does.</param>
/// <param name="Params">Key, type, default and range of every param.</param>
public sealed record ComponentReport(string Kind, string Name, string Description, IReadOnlyList<ParamRow> Params);

/// <summary>What <c>rerank plugins check</c> found about one plugin: identity, versions, components and every check.</summary>
public sealed record PluginReport
{
    /// <summary>The path the user passed (a folder or a .nupkg).</summary>
    public required string Source { get; init; }

    /// <summary>The plugin id (from its manifest; the folder name when the manifest could not be read).</summary>
    public required string Id { get; init; }

    /// <summary>The plugin version, when the manifest could be read.</summary>
    public string? Version { get; init; }

    /// <summary>The Rerank.Abstractions range the manifest accepts, as written.</summary>
    public string? AbstractionsRange { get; init; }

    /// <summary>The Rerank.Abstractions version the plugin assembly was compiled against (from its metadata).</summary>
    public string? CompiledAgainst { get; init; }

    /// <summary>The host's Rerank.Abstractions version.</summary>
    public required string HostAbstractions { get; init; }

    /// <summary>Whether the manifest range and the compiled version both fit the host.</summary>
    public bool Fits { get; init; }

    /// <summary>The components it registers (empty when it did not load).</summary>
    public IReadOnlyList<ComponentReport> Components { get; init; } = [];

    /// <summary>Every check, in the order they ran.</summary>
    public IReadOnlyList<CheckLine> Checks { get; init; } = [];

    /// <summary>Whether any check is an error.</summary>
    public bool Failed => Checks.Any(c => c.Level == CheckLevel.Error);
}
