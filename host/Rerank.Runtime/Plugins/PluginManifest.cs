using NuGet.Versioning;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// A plugin folder's <c>plugin.yaml</c>: who the plugin is, which contract versions it accepts and which assembly holds it.
/// </summary>
/// <param name="Id">The plugin id (lower-case; equals the <c>&lt;id&gt;</c> folder name and <c>IRerankPlugin.Id</c>).</param>
/// <param name="Version">The plugin's SemVer version (equals the <c>&lt;version&gt;</c> folder name and <c>IRerankPlugin.Version</c>).</param>
/// <param name="Abstractions">The Rerank.Abstractions versions the plugin accepts.</param>
/// <param name="AbstractionsText">That range as written, e.g. <c>^1.0.0</c>.</param>
/// <param name="Assembly">The file name of the plugin assembly, relative to the folder.</param>
internal sealed record PluginManifest(string Id, NuGetVersion Version, VersionRange Abstractions, string AbstractionsText, string Assembly)
{
    /// <summary>The manifest's file name inside a plugin folder.</summary>
    public const string FileName = "plugin.yaml";

    /// <summary>The keys a manifest must have, and the only ones it may have.</summary>
    public static readonly IReadOnlyList<string> Keys = ["id", "version", "abstractions", "assembly"];
}
