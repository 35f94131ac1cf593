using NuGet.Versioning;

namespace Rerank.Host.Plugins;

/// <summary>Whether a plugin folder produced usable components.</summary>
internal enum PluginLoadStatus
{
    /// <summary>Loaded and registered.</summary>
    Loaded,

    /// <summary>Refused or failed; see the error.</summary>
    Failed,
}

/// <summary>One plugin folder as the host sees it after loading: identity, components, or the error that kept it out.</summary>
internal sealed class LoadedPlugin
{
    public required string Id { get; init; }

    /// <summary>The version (null when the manifest could not be read).</summary>
    public NuGetVersion? Version { get; init; }

    /// <summary>The folder it came from ("(in-process)" for plugins registered directly).</summary>
    public required string Folder { get; init; }

    public PluginLoadStatus Status { get; init; }

    /// <summary>The manifest, when it could be read (null for in-process plugins and unreadable manifests).</summary>
    public PluginManifest? Manifest { get; init; }

    /// <summary>One line naming the plugin, the versions involved and the cause, when <see cref="Status"/> is Failed.</summary>
    public string? Error { get; init; }

    public IReadOnlyList<ComponentRegistration> Components { get; init; } = [];

    /// <summary>The load context the plugin lives in (null for in-process plugins); unloaded by <see cref="PluginCatalog.Dispose"/>.</summary>
    public PluginLoadContext? LoadContext { get; init; }
}
