namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>
/// The result of inspecting one plugin: the report and, when it loaded, a catalog of that plugin alone to build its
/// components from. <see cref="Dispose"/> unloads the plugin.
/// </summary>
public sealed class PluginInspection : IDisposable
{
    internal PluginInspection(PluginReport report, PluginCatalog catalog)
    {
        Report = report;
        Catalog = catalog;
    }

    /// <summary>What was found (checks grow as more passes run, see <see cref="Add"/>).</summary>
    public PluginReport Report { get; private set; }

    /// <summary>A catalog holding only the inspected plugin (no plugin when it did not load).</summary>
    public PluginCatalog Catalog { get; }

    /// <summary>The loaded plugin, or null when it was refused.</summary>
    public LoadedPlugin? Plugin => Catalog.Plugins.FirstOrDefault(p => p.Status == PluginLoadStatus.Loaded);

    /// <summary>Appends the lines of a further pass (e.g. the conformance run) to the report.</summary>
    public void Add(IEnumerable<CheckLine> lines) => Report = Report with { Checks = [.. Report.Checks, .. lines] };

    /// <summary>Unloads the plugin's load context.</summary>
    public void Dispose() => Catalog.Dispose();
}
