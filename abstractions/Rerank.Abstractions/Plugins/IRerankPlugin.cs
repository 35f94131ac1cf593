namespace Rerank.Abstractions;

/// <summary>
/// The one public entry type of a plugin assembly. The host creates it with its parameterless constructor and
/// calls <see cref="Register"/> once per load.
/// </summary>
public interface IRerankPlugin
{
    /// <summary>The plugin id (lower-case, e.g. <c>baselines</c>); must match the manifest.</summary>
    string Id { get; }

    /// <summary>The plugin's SemVer version; must match the manifest.</summary>
    string Version { get; }

    /// <summary>Registers the plugin's components.</summary>
    void Register(IPluginRegistry registry);
}
