using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// The plugins a host has loaded and the components they registered; resolves YAML references to registrations.
/// Immutable once built; <see cref="Dispose"/> unloads every plugin load context.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private int _disposed;

    /// <summary>A catalog of <paramref name="plugins"/> (loaded or failed); disposing it unloads their load contexts.</summary>
    public PluginCatalog(IEnumerable<LoadedPlugin> plugins)
    {
        Plugins = [.. plugins.OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.Version)];
    }

    /// <summary>Every plugin, loaded or failed.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    /// <summary>A catalog of plugins registered in-process (tests, embedded use), without load contexts.</summary>
    public static PluginCatalog FromPlugins(params IRerankPlugin[] plugins)
    {
        var loaded = new List<LoadedPlugin>();
        foreach (var plugin in plugins)
        {
            var version = NuGetVersion.Parse(plugin.Version);
            var registry = new PluginRegistry(plugin.Id, version);
            plugin.Register(registry);
            loaded.Add(new LoadedPlugin
            {
                Id = plugin.Id,
                Version = version,
                Folder = "(in-process)",
                Status = PluginLoadStatus.Loaded,
                Components = registry.Close(),
            });
        }

        return new PluginCatalog(loaded);
    }

    /// <summary>Finds the registration a reference names: the highest loaded version in range; on a miss, says what exists.</summary>
    /// <exception cref="ObjectDisposedException">The catalog was disposed: its plugins are unloading.</exception>
    internal ComponentRegistration? Resolve(ComponentKind kind, ComponentReference reference, SourceLocation at, ICollection<ConfigError> errors)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var loaded = Plugins.Where(p => p.Status == PluginLoadStatus.Loaded).ToList();
        if (reference.PluginId is not null)
        {
            var versions = loaded.Where(p => string.Equals(p.Id, reference.PluginId, StringComparison.OrdinalIgnoreCase)).ToList();
            if (versions.Count == 0)
            {
                var failed = Plugins.FirstOrDefault(p => string.Equals(p.Id, reference.PluginId, StringComparison.OrdinalIgnoreCase));
                var known = string.Join(", ", loaded.Select(p => $"{p.Id}@{p.Version}").Distinct());
                errors.Add(new ConfigError(at, failed is not null
                    ? $"plugin '{reference.PluginId}' failed to load: {failed.Error}"
                    : $"unknown plugin '{reference.PluginId}'; loaded plugins: {(known.Length == 0 ? "(none)" : known)}"));
                return null;
            }

            var inRange = versions.Where(p => reference.Range is null || reference.Range.Satisfies(p.Version!)).OrderByDescending(p => p.Version).ToList();
            if (inRange.Count == 0)
            {
                errors.Add(new ConfigError(at, $"no version of plugin '{reference.PluginId}' matches '{reference.RangeText}'; loaded versions: {string.Join(", ", versions.Select(v => v.Version))}"));
                return null;
            }

            var plugin = inRange[0];
            var match = plugin.Components.FirstOrDefault(c => c.Kind == kind && string.Equals(c.Name, reference.Name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                errors.Add(new ConfigError(at, $"plugin '{plugin.Id}@{plugin.Version}' has no {kind.Word()} '{reference.Name}'; its {kind.Word()}s: {Names(plugin.Components, kind)}"));
            }

            return match;
        }

        var candidates = loaded
            .SelectMany(p => p.Components)
            .Where(c => c.Kind == kind && string.Equals(c.Name, reference.Name, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var ids = candidates.Select(c => c.PluginId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ids.Count == 1)
        {
            return candidates.OrderByDescending(c => c.PluginVersion).First();
        }

        errors.Add(new ConfigError(at, ids.Count == 0
            ? $"unknown {kind.Word()} '{reference.Name}'; available {kind.Word()}s: {Names(loaded.SelectMany(p => p.Components), kind)}"
            : $"{kind.Word()} '{reference.Name}' is ambiguous: plugins {string.Join(", ", ids)} all have one; write plugin/name"));
        return null;
    }

    /// <summary>
    /// Starts unloading every plugin load context (idempotent). A context is collected once nothing references the
    /// catalog, its registrations or any object or type created from the plugin.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var plugin in Plugins)
        {
            plugin.LoadContext?.Unload();
        }
    }

    private static string Names(IEnumerable<ComponentRegistration> components, ComponentKind kind)
    {
        var names = components.Where(c => c.Kind == kind).Select(c => c.PluginId + "/" + c.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }
}
