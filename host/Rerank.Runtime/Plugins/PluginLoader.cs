using NuGet.Versioning;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// Loads a plugins folder laid out as <c>&lt;id&gt;/&lt;version&gt;/</c> (each with <c>plugin.yaml</c>, the assembly and its
/// <c>.deps.json</c>), one collectible <see cref="PluginLoadContext"/> per folder. A bad folder never stops the others: it
/// becomes a Failed <see cref="LoadedPlugin"/> whose one-line error names the plugin, the versions and the cause.
/// </summary>
public sealed class PluginLoader
{
    /// <summary>A loader for a host whose Rerank.Abstractions is <paramref name="hostAbstractionsVersion"/> (default: the one loaded).</summary>
    public PluginLoader(NuGetVersion? hostAbstractionsVersion = null)
    {
        HostAbstractionsVersion = hostAbstractionsVersion ?? AbstractionsCompatibility.HostVersion;
    }

    /// <summary>The Rerank.Abstractions version plugins are checked against.</summary>
    public NuGetVersion HostAbstractionsVersion { get; }

    /// <summary>Loads <paramref name="pluginsFolder"/>, or the folder <see cref="PluginPaths.Resolve"/> finds when it is null.</summary>
    public static PluginCatalog Load(string? pluginsFolder = null) => new PluginLoader().LoadFolder(PluginPaths.Resolve(pluginsFolder));

    /// <summary>Loads every <c>&lt;id&gt;/&lt;version&gt;/</c> folder under <paramref name="pluginsFolder"/> into a catalog.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public PluginCatalog LoadFolder(string pluginsFolder)
    {
        var root = Path.GetFullPath(pluginsFolder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Plugins folder '{root}' does not exist; build the plugins, pass a folder, or set {PluginPaths.EnvironmentVariable}.");
        }

        var plugins = new List<LoadedPlugin>();
        foreach (var idFolder in Visible(root))
        {
            if (File.Exists(Path.Combine(idFolder, PluginManifest.FileName)))
            {
                // Its subfolders are the plugin's own (runtimes/, cultures), not versions: loading them would only add noise.
                var id = Path.GetFileName(idFolder);
                plugins.Add(Failed(idFolder, id, null, null, $"{PluginManifest.FileName} sits directly in '{id}/'; lay plugins out as <id>/<version>/"));
                continue;
            }

            foreach (var versionFolder in Visible(idFolder))
            {
                var plugin = LoadPlugin(versionFolder);
                var twin = plugins.FirstOrDefault(p => p.Status == PluginLoadStatus.Loaded && p.Id == plugin.Id && p.Version == plugin.Version);
                if (plugin.Status == PluginLoadStatus.Loaded && twin is not null)
                {
                    // e.g. '1.0/' beside '1.0.0/': two folders, one identity; the first (ordinal order) wins.
                    plugin.LoadContext?.Unload();
                    plugin = Failed(plugin.Folder, plugin.Id, plugin.Version, plugin.Manifest, $"the same id and version is already loaded from '{twin.Folder}'");
                }

                plugins.Add(plugin);
            }
        }

        return new PluginCatalog(plugins);
    }

    /// <summary>Loads one <c>&lt;id&gt;/&lt;version&gt;/</c> folder; never throws for a bad plugin.</summary>
    public LoadedPlugin LoadPlugin(string pluginFolder) => LoadPlugin(pluginFolder, checkLayout: true);

    /// <summary>
    /// Loads one plugin folder; with <paramref name="checkLayout"/> false its names need not be <c>&lt;id&gt;/&lt;version&gt;/</c>
    /// (a build output checked in place by <c>rerank plugins check</c>). Never throws for a bad plugin.
    /// </summary>
    internal LoadedPlugin LoadPlugin(string pluginFolder, bool checkLayout)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pluginFolder));
        var folderVersion = Path.GetFileName(folder);
        var folderId = Path.GetFileName(Path.GetDirectoryName(folder)) ?? "";
        PluginManifest? manifest = null;
        PluginLoadContext? context = null;
        try
        {
            manifest = PluginManifestReader.Read(folder);
            if (checkLayout)
            {
                CheckFolderNames(manifest, folderId, folderVersion);
            }

            var assemblyPath = Path.Combine(folder, manifest.Assembly);
            if (!File.Exists(assemblyPath))
            {
                throw new PluginLoadException($"the manifest names assembly {manifest.Assembly}, which is not in the folder");
            }

            var compiled = AbstractionsCompatibility.ReadCompiledVersion(assemblyPath);
            AbstractionsCompatibility.Check(manifest, compiled, HostAbstractionsVersion);
            context = new PluginLoadContext($"{manifest.Id}@{manifest.Version}", assemblyPath);
            var components = PluginActivation.Register(context, manifest);
            return new LoadedPlugin
            {
                Id = manifest.Id,
                Version = manifest.Version,
                Folder = folder,
                Status = PluginLoadStatus.Loaded,
                Manifest = manifest,
                Components = components,
                LoadContext = context,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            context?.Unload();
            var cause = e is PluginLoadException ? e.Message : "unexpected " + PluginLoadException.Describe(e);
            return Failed(folder, manifest?.Id ?? folderId, manifest?.Version ?? ParseOrNull(folderVersion), manifest, cause);
        }
    }

    private static void CheckFolderNames(PluginManifest manifest, string folderId, string folderVersion)
    {
        if (!string.Equals(manifest.Id, folderId, StringComparison.Ordinal))
        {
            throw new PluginLoadException($"the manifest says id '{manifest.Id}' but the folder is '{folderId}/'; lay plugins out as <id>/<version>/");
        }

        if (ParseOrNull(folderVersion) != manifest.Version)
        {
            throw new PluginLoadException($"the manifest says version {manifest.Version} but the folder is '{folderVersion}/'; lay plugins out as <id>/<version>/");
        }
    }

    private static LoadedPlugin Failed(string folder, string id, NuGetVersion? version, PluginManifest? manifest, string cause) => new()
    {
        Id = id,
        Version = version,
        Folder = folder,
        Status = PluginLoadStatus.Failed,
        Manifest = manifest,
        Error = $"plugin '{id}' {version?.ToString() ?? "(unknown version)"}: {PluginLoadException.OneLine(cause)}",
    };

    private static NuGetVersion? ParseOrNull(string text) => NuGetVersion.TryParse(text, out var v) ? v : null;

    private static IEnumerable<string> Visible(string folder) =>
        Directory.EnumerateDirectories(folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal);
}
