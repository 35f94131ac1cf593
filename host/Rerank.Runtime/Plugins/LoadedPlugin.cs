using System.Runtime.Loader;
using NuGet.Versioning;

namespace Rerank.Runtime.Plugins;

/// <summary>Whether a plugin folder produced usable components.</summary>
public enum PluginLoadStatus
{
    /// <summary>Loaded and registered.</summary>
    Loaded,

    /// <summary>Refused or failed; see the error.</summary>
    Failed,
}

/// <summary>One plugin folder as the host sees it after loading: identity, components, or the error that kept it out.</summary>
public sealed class LoadedPlugin
{
    /// <summary>The plugin id (from its manifest, or the folder name when the manifest could not be read).</summary>
    public required string Id { get; init; }

    /// <summary>The version (null when the manifest could not be read).</summary>
    public NuGetVersion? Version { get; init; }

    /// <summary>The folder it came from ("(in-process)" for plugins registered directly).</summary>
    public required string Folder { get; init; }

    /// <summary>Whether it loaded.</summary>
    public PluginLoadStatus Status { get; init; }

    /// <summary>The manifest, when it could be read (null for in-process plugins and unreadable manifests).</summary>
    internal PluginManifest? Manifest { get; init; }

    /// <summary>One line naming the plugin, the versions involved and the cause, when <see cref="Status"/> is Failed.</summary>
    public string? Error { get; init; }

    /// <summary>The components it registered (empty when it failed).</summary>
    public IReadOnlyList<ComponentRegistration> Components { get; init; } = [];

    /// <summary>The load context the plugin lives in (null for in-process plugins); unloaded by <see cref="PluginCatalog.Dispose"/>.</summary>
    public AssemblyLoadContext? LoadContext { get; init; }
}
